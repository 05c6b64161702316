// The characters (or words) of a text model's probed passage along a chart's time axis, one cell per time step.
import { memo } from 'react';

/** A token as it can be seen: a line break as ↵, a space as ·, a tab as →. */
export function visibleToken(token: string): string {
  return token.replace(/\n/g, '↵').replace(/ /g, '·').replace(/\t/g, '→');
}

/** Hover text of a heatmap cell on a text model: the time step, its token, the unit and the value. */
export function describeTokenCell(label: string, tokens: readonly string[]) {
  return (t: number, unit: number, value: number) => `${label} · t ${t} ${JSON.stringify(tokens[t] ?? '')} · unit ${unit} · ${Number.isFinite(value) ? value.toFixed(4) : String(value)}`;
}

export const TokenStrip = memo(function TokenStrip({ tokens, width }: { tokens: readonly string[]; width: number }) {
  const cell = width / Math.max(1, tokens.length);
  return (
    <div className="token-strip" data-testid="token-strip" style={{ width, fontSize: Math.max(6, Math.min(13, cell * 1.1)) }} aria-label={`The passage along the time axis: ${tokens.join('')}`}>
      {tokens.map((t, i) => (
        <span key={i} title={`t ${i}: ${JSON.stringify(t)}`} style={{ width: cell }}>
          {visibleToken(t)}
        </span>
      ))}
    </div>
  );
});
