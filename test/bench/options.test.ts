// Bench flags: every engine a user can pick is accepted by name (and selected by default), anything else is refused; Dawn toggles go to Chromium.
import { describe, expect, it } from 'vitest';
import { ENGINES, LSTM_ENGINES, NODE_ENGINES, OWN_ENGINES } from '../../src/bench/bench_spec';
import { parseCliArgs } from '../../src/bench/cli_args';
import { OptionError, optionsFromQuery, resolveOptions } from '../../src/bench/options';

/** The names other tools read: they must not change. */
const PEERS = ['ours', 'ours-cpu', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-cpu', 'tfjs-wasm', 'jax-js', 'jax-js-wasm', 'torch-cpu'];

describe('bench options', () => {
  it('knows every LSTM engine by its published name; torch-cpu runs from Node, the rest in the page', () => {
    expect([...LSTM_ENGINES, ...NODE_ENGINES].sort()).toEqual([...PEERS].sort());
    expect(NODE_ENGINES).toEqual(['torch-cpu']);
    expect(OWN_ENGINES).toEqual(expect.arrayContaining(['ours', 'ours-cpu']));
    expect(OWN_ENGINES.some((e) => e.startsWith('tfjs') || e.startsWith('jax') || e.startsWith('torch'))).toBe(false);
  });

  it('--engines and --configs select; every engine is the default', () => {
    const a = parseCliArgs(['--engines', 'ours-cpu,tfjs-wasm,jax-js,jax-js-wasm,torch-cpu', '--configs', 'S,M', '--json']);
    expect(a.options.engines).toEqual(['ours-cpu', 'tfjs-wasm', 'jax-js', 'jax-js-wasm', 'torch-cpu']);
    expect(a.options.configs).toEqual(['S', 'M']);
    expect(a.json).toBe(true);
    expect(resolveOptions({}, 'google / swiftshader').engines).toEqual([...ENGINES]);
    expect(resolveOptions({}, 'google / swiftshader').engines).toEqual(expect.arrayContaining(PEERS));
    expect(optionsFromQuery(new URLSearchParams('engines=jax-js,tfjs-wasm')).engines).toEqual(['jax-js', 'tfjs-wasm']);
  });

  it('negative controls: unknown or repeated engines are refused with the choices', () => {
    expect(() => parseCliArgs(['--engines', 'torch-gpu'])).toThrow(OptionError);
    expect(() => parseCliArgs(['--engines', 'jax'])).toThrow(/Unknown engines "jax"; choose from .*jax-js-wasm/);
    expect(() => parseCliArgs(['--engines', 'ours-cpu,ours-cpu'])).toThrow(/twice/);
  });

  it('--dawn-features passes Dawn toggle names to Chromium, not to the page, and refuses anything else', () => {
    const a = parseCliArgs(['--dawn-features', 'disable_robustness,skip_validation', '--configs', 'S']);
    expect(a.dawnFeatures).toEqual(['disable_robustness', 'skip_validation']);
    expect(a.options).toEqual({ configs: ['S'] });
    expect(parseCliArgs([]).dawnFeatures).toBeUndefined();
    expect(() => parseCliArgs(['--dawn-features', 'disable_robustness --no-sandbox'])).toThrow(/"disable_robustness --no-sandbox" is not a Dawn toggle name/);
    expect(() => parseCliArgs(['--dawn-features'])).toThrow(/needs a value/);
  });
});
