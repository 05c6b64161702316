// Live chart of training and validation loss per epoch (log-scale y).
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppState } from './store';
import { formatLoss, formatTick } from './format';

const tickLoss = (v: number) => formatTick(v);
// Log-axis bounds with a little room above and below the curves.
const LOG_DOMAIN: [(min: number) => number, (max: number) => number] = [(min) => min / 1.25, (max) => max * 1.25];

export function LossChart() {
  const rows = useAppState((s) => s.chart);
  const epochs = useAppState((s) => s.training.epochs);
  return (
    <section className="panel chart" aria-labelledby="chart-heading">
      <h2 id="chart-heading">Loss (MSE on normalized data)</h2>
      <div data-testid="loss-chart" className="chart-box" data-points={rows.length}>
        {rows.length === 0 ? (
          <p className="placeholder">The loss of each epoch is drawn here as training goes.</p>
        ) : (
          <LineChart responsive style={{ width: '100%', height: '100%' }} data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="epoch"
              type="number"
              domain={[1, Math.max(2, epochs, rows.length)]}
              allowDecimals={false}
              label={{ value: 'epoch', position: 'insideBottomRight', offset: -4 }}
            />
            <YAxis scale="log" domain={LOG_DOMAIN} tickFormatter={tickLoss} width={56} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? formatLoss(v) : String(v))} labelFormatter={(l) => `epoch ${l}`} />
            <Legend />
            <Line type="monotone" dataKey="train" name="train" stroke="#2563eb" dot={rows.length < 40} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="val" name="validation" stroke="#dc2626" dot={rows.length < 40} isAnimationActive={false} connectNulls />
          </LineChart>
        )}
      </div>
    </section>
  );
}
