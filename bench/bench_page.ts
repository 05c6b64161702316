// Bench page entry: defines window.runBench(options) and window.benchAdapter(), and runs from the query string when it has ?run or any option.
import { probeAdapter, runBrowserBench } from '../src/bench/browser_bench';
import type { BenchResult } from '../src/bench/bench_spec';
import { optionsFromQuery, resolveOptions, type PartialBenchOptions } from '../src/bench/options';
import { lossChange } from '../src/bench/sanity';

declare global {
  interface Window {
    /** Runs the bench; options left out get this adapter's defaults. */
    runBench: (options?: PartialBenchOptions) => Promise<BenchResult>;
    /** The WebGPU adapter our engine would use (the runner picks default configs from it). */
    benchAdapter: () => Promise<string>;
    /** The result of the query-string run, once done. */
    benchResult?: BenchResult;
  }
}

const statusEl = document.getElementById('status')!;
const logEl = document.getElementById('log')!;
const resultsEl = document.getElementById('results')!;

function setStatus(state: 'running' | 'done' | 'error', text: string): void {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
  statusEl.className = state === 'error' ? 'error' : '';
}

function log(line: string): void {
  console.log(line);
  logEl.textContent += `${line}\n`;
}

function cell(row: HTMLTableRowElement, text: string, tag: 'td' | 'th' = 'td'): void {
  const el = document.createElement(tag);
  el.textContent = text;
  row.appendChild(el);
}

function render(result: BenchResult): void {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const h of ['config', 'engine', 'adapter', 'ms/step', 'samples/s', 'GFLOP/s', 'loss before → after']) cell(head, h, 'th');
  const body = table.createTBody();
  for (const r of result.rows) {
    const tr = body.insertRow();
    [r.config, r.engine, r.adapter, r.msPerStep.toFixed(2), r.samplesPerSec.toFixed(1), r.gflops.toFixed(3), lossChange(r)].forEach((t) => cell(tr, t));
  }
  for (const m of result.misses) {
    const tr = body.insertRow();
    [m.config, m.engine, m.failed ? 'FAILED' : 'skipped', m.reason, '', '', ''].forEach((t) => cell(tr, t));
  }
  resultsEl.replaceChildren(table);
}

window.benchAdapter = probeAdapter;
window.runBench = async (options: PartialBenchOptions = {}) => runBrowserBench(resolveOptions(options, await probeAdapter()), log);

async function runFromQuery(): Promise<void> {
  const params = new URLSearchParams(location.search);
  if ([...params.keys()].length === 0) return;
  setStatus('running', 'Running…');
  try {
    const result = await window.runBench(optionsFromQuery(params));
    window.benchResult = result;
    render(result);
    const failed = result.misses.filter((m) => m.failed).length;
    setStatus(failed > 0 ? 'error' : 'done', failed > 0 ? `Done, with ${failed} failure(s).` : 'Done.');
  } catch (e) {
    setStatus('error', e instanceof Error ? e.message : String(e));
  }
}

void runFromQuery();
