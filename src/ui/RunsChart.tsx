// One loss chart for several saved runs: each run's validation loss (solid) and training loss (dashed) by epoch.
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../storage/checkpoint_store';
import { formatLoss, formatTick } from './format';

/** One colour per run, in the order runs are drawn (the Compare panel uses the same). */
export const RUN_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];
const LOG_DOMAIN: [(min: number) => number, (max: number) => number] = [(min) => min / 1.25, (max) => max * 1.25];

type Row = Record<string, number | null>;

function positive(v: number): number | null {
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** Rows by epoch with columns val_<i> and train_<i> for run i. */
function mergeRows(runs: RunRecord[]): Row[] {
  const byEpoch = new Map<number, Row>();
  runs.forEach((run, i) => {
    for (const h of run.history) {
      const row = byEpoch.get(h.epoch) ?? { epoch: h.epoch };
      row[`val_${i}`] = positive(h.valLoss);
      row[`train_${i}`] = positive(h.trainLoss);
      byEpoch.set(h.epoch, row);
    }
  });
  return [...byEpoch.values()].sort((a, b) => (a.epoch as number) - (b.epoch as number));
}

export function RunsChart({ runs, height = 240, testId }: { runs: RunRecord[]; height?: number; testId: string }) {
  const rows = mergeRows(runs);
  return (
    <div className="chart-box" style={{ height }} data-testid={testId} data-runs={runs.length} data-points={rows.length}>
      {rows.length === 0 ? (
        <p className="placeholder">No epochs to draw yet.</p>
      ) : (
        <LineChart responsive style={{ width: '100%', height: '100%' }} data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis scale="log" domain={LOG_DOMAIN} tickFormatter={(v: number) => formatTick(v)} width={56} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? formatLoss(v) : String(v))} labelFormatter={(l) => `epoch ${l}`} />
          <Legend />
          {runs.flatMap((run, i) => [
            <Line key={`val_${run.id}`} dataKey={`val_${i}`} name={`${run.name} (val)`} stroke={RUN_COLORS[i % RUN_COLORS.length]} dot={false} isAnimationActive={false} connectNulls />,
            <Line key={`train_${run.id}`} dataKey={`train_${i}`} name={`${run.name} (train)`} stroke={RUN_COLORS[i % RUN_COLORS.length]} strokeDasharray="4 3" dot={false} isAnimationActive={false} connectNulls legendType="none" />,
          ])}
        </LineChart>
      )}
    </div>
  );
}
