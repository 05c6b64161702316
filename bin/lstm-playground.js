#!/usr/bin/env node
// The `lstm-playground` command: runs the CLI built into dist-cli/ (npm ci builds it through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist-cli/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('lstm-playground: the command line is not built yet. Run `npm run build:cli` (npm ci does it for you).\n');
  process.exit(1);
}
await import(built);
