// Gate activations: heatmaps (time step × unit) of every gate for the validation sequence the person picks, in the
// chosen layer and direction, refreshed while training; a colour legend, unit sorting, and per-gate saturation.
import { memo, useDeferredValue, useMemo } from 'react';
import { setProbe } from '../controller';
import { activityOrder, gateDomain, isSigmoidGate, saturationOverTime, viridisCss } from '../heatmap';
import { useAppState } from '../store';
import type { ProbeView } from '../../worker/protocol';
import { HeatmapCanvas } from './HeatmapCanvas';
import { SparkLines } from './SparkLines';
import { describeTokenCell, TokenStrip } from './TokenStrip';

const GATE_TITLES: Record<string, string> = {
  i: 'input gate i', f: 'forget gate f', g: 'candidate g', o: 'output gate o', c: 'cell state c', h: 'hidden state h',
  r: 'reset gate r', z: 'update gate z', n: 'candidate n',
};
const SERIES = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)', 'var(--series-6)'];

function Legend2({ domain, title }: { domain: [number, number]; title: string }) {
  return (
    <div className="legend" aria-label={`${title}: colour scale from ${domain[0]} to ${domain[1]}`}>
      <span>{Number(domain[0].toPrecision(2))}</span>
      <span className="legend-bar" style={{ backgroundImage: `linear-gradient(to right, ${viridisCss()})` }} />
      <span>{Number(domain[1].toPrecision(2))}</span>
    </div>
  );
}

function Controls() {
  const sample = useAppState((s) => s.probeSample);
  const layer = useAppState((s) => s.probeLayer);
  const direction = useAppState((s) => s.probeDirection);
  const sort = useAppState((s) => s.sortUnits);
  const valCount = useAppState((s) => s.data?.set?.counts.validation ?? 0);
  const layers = useAppState((s) => Number(s.knobs.numLayers) || 1);
  const bidi = useAppState((s) => s.knobs.bidirectional === 'true');
  return (
    <div className="probe-controls">
      <label className="inline">
        Validation sequence
        <input type="number" data-testid="probe-sample" min={0} max={Math.max(0, valCount - 1)} step={1} value={sample} onChange={(e) => setProbe({ probeSample: Math.max(0, Math.min(valCount - 1, Math.floor(Number(e.currentTarget.value) || 0))) })} />
        <small className="hint">of {valCount}</small>
      </label>
      <label className="inline">
        Layer
        <select value={layer} onChange={(e) => setProbe({ probeLayer: Number(e.currentTarget.value) })}>
          {Array.from({ length: layers }, (_, l) => (
            <option key={l} value={l}>
              {l + 1}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Direction
        <select value={direction} disabled={!bidi} onChange={(e) => setProbe({ probeDirection: Number(e.currentTarget.value) })}>
          <option value={0}>forward</option>
          <option value={1}>reverse</option>
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" data-testid="sort-units" checked={sort} onChange={(e) => setProbe({ sortUnits: e.currentTarget.checked })} /> Sort units by activity
      </label>
    </div>
  );
}

export function GatePanel() {
  const probe = useDeferredValue(useAppState((s) => s.probe));
  const sort = useAppState((s) => s.sortUnits);
  return (
    <section className="panel gates" aria-labelledby="gates-heading">
      <h2 id="gates-heading">Gate activations</h2>
      <Controls />
      <GateGrid probe={probe} sort={sort} />
    </section>
  );
}

const GateGrid = memo(function GateGrid({ probe, sort }: { probe: ProbeView | null; sort: boolean }) {
  const view = useMemo(() => {
    if (!probe) return null;
    const T = probe.window, H = probe.hidden;
    const h = probe.values[probe.names.indexOf('h')];
    const order = sort && h ? activityOrder(h, T, H) : Array.from({ length: H }, (_, j) => j);
    const gates = probe.names.map((name, k) => ({ name, values: probe.values[k], domain: gateDomain(name, probe.values[k]) }));
    const saturation = gates.filter((g) => g.name !== 'c').map((g) => [g.name, saturationOverTime(g.name, g.values, T, H)] as const);
    // A text model's passage gets a wider map (about 9 px per character) with its characters along the time axis.
    const width = probe.tokens ? Math.max(250, T * 9) : 250;
    return { T, H, order, gates, saturation, width };
  }, [probe, sort]);
  return (
    <div data-testid="gate-heatmap" className={probe?.tokens ? 'gate-grid text-probe' : 'gate-grid'} data-gates={probe?.names.join(',') ?? ''} data-step={probe?.step ?? ''} data-cell={probe?.cell ?? ''} data-sorted={String(sort)}>
      {!probe || !view ? (
        <p className="placeholder">Train (or Step) to see each gate of one validation sequence: time across, units down.</p>
      ) : (
        <>
          {view.gates.map((g) => (
            <figure key={g.name} className="gate">
              <figcaption>
                {GATE_TITLES[g.name] ?? g.name} <Legend2 domain={g.domain} title={GATE_TITLES[g.name] ?? g.name} />
              </figcaption>
              <HeatmapCanvas label={g.name} values={g.values} T={view.T} H={view.H} order={view.order} domain={g.domain} width={view.width} height={110} describe={probe.tokens ? describeTokenCell(g.name, probe.tokens) : undefined} />
              {probe.tokens && <TokenStrip tokens={probe.tokens} width={view.width} />}
            </figure>
          ))}
          <figure className="gate saturation" data-testid="gate-saturation">
            <figcaption>Saturation over time: share of units near {probe.cell === 'rnn' ? '±1' : '0 or 1 (sigmoid gates) or ±1 (tanh)'}</figcaption>
            <SparkLines
              title="Share of saturated units per time step, one line per gate"
              lines={view.saturation.map(([name, share], k) => ({ name, values: share, color: SERIES[k % SERIES.length], width: isSigmoidGate(name) ? 2 : 1.2 }))}
              width={250}
              height={120}
              domain={[0, 1]}
              xLabel={`t 0…${view.T - 1}`}
              yLabels={['0%', '100%']}
            />
          </figure>
        </>
      )}
      {probe && (
        <p className="hint probe-meta">
          Sequence {probe.sample} · layer {probe.layer + 1} {probe.direction ? '(reverse)' : ''} · step {probe.step} · loss {Number.isFinite(probe.loss) ? probe.loss.toPrecision(3) : '—'}
        </p>
      )}
    </div>
  );
});
