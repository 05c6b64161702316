// "The first command prints only its own output": runs the built CLI in a child process (so native writes to fd 2
// from Dawn and the Vulkan loader are captured) and checks stderr carries no Vulkan start-up noise, while --verbose
// or LSTM_PLAYGROUND_VERBOSE=1 add the line naming the adapter, and a broken driver setting does show the noise; and
// that a command starts without loading Vite or Playwright (only the browser bench needs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planStart, VERBOSE_ENV } from '../../src/gpu/node_adapter_choice';
import { fixturePath } from '../data/helpers';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = resolve(ROOT, '../shared/fixtures/torch/lstm_tiny.json');
const VULKAN_NOISE = /vkCreateInstance|VK_ERROR|Found no drivers|^Warning:/m;
const ADAPTER_LINE = /^lstm-playground: WebGPU adapter ".+": .+$/m;

let cliDir = '';

beforeAll(() => {
  // A private build inside the project (so `webgpu` and the other packages resolve), fresh from src/.
  const cache = join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  cliDir = mkdtempSync(join(cache, 'quiet-start-cli-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--outDir', cliDir], {
    cwd: ROOT,
    stdio: 'pipe',
  });
});

afterAll(() => {
  if (cliDir) rmSync(cliDir, { recursive: true, force: true });
});

/** Runs the CLI with the test runner's environment minus any verbose setting, changed by `extra` (undefined: unset). */
function cli(args: string[], extra: Record<string, string | undefined> = {}, nodeArgs: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[VERBOSE_ENV];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const r = spawnSync(process.execPath, [...nodeArgs, join(cliDir, 'cli.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 110_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Node flags that make `vite` and Playwright unresolvable (a module resolve hook that throws on them). */
function withoutBrowserTools(): string[] {
  writeFileSync(
    join(cliDir, 'block_hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  if (specifier === 'vite' || specifier.startsWith('@playwright/') || specifier.startsWith('playwright')) throw new Error('blocked at start: ' + specifier);
  return next(specifier, context);
}\n`,
  );
  writeFileSync(join(cliDir, 'block.mjs'), `import { register } from 'node:module';\nregister('./block_hooks.mjs', import.meta.url);\n`);
  return ['--import', join(cliDir, 'block.mjs')];
}

describe('quiet start', () => {
  it('starts a command without loading Vite or Playwright (only the browser bench imports them, when it runs)', () => {
    const block = withoutBrowserTools();
    // The hook does block them: an import of either fails under it.
    for (const pkg of ['vite', '@playwright/test']) {
      const r = spawnSync(process.execPath, [...block, '--input-type=module', '-e', `await import('${pkg}')`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, pkg).not.toBe(0);
      expect(r.stderr).toContain(`blocked at start: ${pkg}`);
    }
    const verify = cli(['verify', FIXTURE], {}, block);
    expect(verify.code, verify.err).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ pass: true });
    for (const args of [['--help'], ['inspect', fixturePath('one_series.csv')], ['bench', '--help']]) {
      const r = cli(args, {}, block);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
    }
  });

  it('verify prints its JSON on stdout and nothing from Vulkan or Dawn on stderr', () => {
    const { code, out, err } = cli(['verify', FIXTURE]);
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ fixture: 'lstm_tiny', pass: true });
    expect(err).not.toMatch(VULKAN_NOISE);
    expect(err).not.toMatch(ADAPTER_LINE);
    expect(err).toBe('');
  });

  it('inspect prints nothing on stderr', () => {
    const { code, err } = cli(['inspect', fixturePath('one_series.csv')]);
    expect([code, err]).toEqual([0, '']);
  });

  it('--verbose (before or after the command) and LSTM_PLAYGROUND_VERBOSE=1 name the adapter and why', () => {
    const plan = planStart({ ...process.env, [VERBOSE_ENV]: '' });
    for (const run of [cli(['--verbose', 'verify', FIXTURE]), cli(['verify', FIXTURE, '--verbose']), cli(['verify', FIXTURE], { [VERBOSE_ENV]: '1' })]) {
      expect(run.code, run.err).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ pass: true }); // stdout stays pure JSON
      expect(run.err).toMatch(ADAPTER_LINE);
      expect(run.err).toContain(plan.reason);
    }
  });

  it('still shows the loader and Dawn messages when the named driver is broken (the capture does see them)', () => {
    const { code, err } = cli(['verify', FIXTURE], { VK_ICD_FILENAMES: join(ROOT, 'no/such/icd.json'), VK_DRIVER_FILES: undefined });
    expect(code).toBe(1);
    expect(err).toMatch(VULKAN_NOISE);
    expect(err).toContain('No WebGPU adapter in Node');
  });

  it('lists --verbose in each command\'s help and rejects a value for it (exit 2)', () => {
    expect(cli(['verify', '--help']).out).toMatch(/Global options:\n\s+--verbose\s/);
    expect(cli(['--help']).out).toContain('--verbose');
    expect(cli(['verify', '--verbose=yes']).code).toBe(2);
    expect(cli(['verify', '--bogus']).code).toBe(2);
  });
});
