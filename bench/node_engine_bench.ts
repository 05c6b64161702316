// Times our engine in Node through Dawn (no browser), for GPU machines without Chromium; prints one JSON array.
import { requestNodeDevice } from '../src/gpu/node_device';
import { makeBatch } from './bench_data';
import { CONFIGS } from './bench_spec';
import { benchOurs } from './ours_lstm';

async function main(): Promise<void> {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const names = arg('configs', 'S,M').split(',');
  const steps = Number(arg('steps', '20'));
  const warmup = Number(arg('warmup', '5'));
  const { device, adapterInfo } = await requestNodeDevice();
  const rows = [];
  for (const name of names) {
    const c = CONFIGS[name];
    if (!c) throw new Error(`unknown config ${name}`);
    rows.push(await benchOurs(device, adapterInfo, c, makeBatch(c), warmup, steps));
    process.stderr.write(`${name}: ${rows[rows.length - 1].msPerStep.toFixed(3)} ms/step\n`);
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
  device.destroy();
}

main().catch((e) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
