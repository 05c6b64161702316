// `npm run bench`: our LSTM engines vs TensorFlow.js, jax-js (headless Chromium) and PyTorch (CPU); prints a table (or --json rows), exit 1 if ours fails.
import { benchMain } from '../src/bench/bench_main';

benchMain(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
