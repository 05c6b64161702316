// `lstm-playground verify FIXTURE.json…`: runs PyTorch fixtures through the GPU engine (Dawn) and reports errors.
import { readFileSync } from 'node:fs';
import { requestNodeDevice } from '../../gpu/node_device';
import { parseTorchFixture } from '../../verify/torch_fixture';
import { verifyFixture, type FixtureReport } from '../../verify/verify_fixture';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand } from '../command';

const FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'Usage: lstm-playground verify FIXTURE.json [MORE.json …]';
const SUMMARY =
  'Loads each file in the PyTorch fixture format (shared/fixtures/torch/README.md), runs it on the WebGPU engine and\n' +
  'prints one JSON object per file: the worst relative error per tensor, its tolerance and whether it passed.\n' +
  'Exit code 1 when any tensor is over its tolerance, 2 for unreadable input.';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the GPU engine against PyTorch fixture files',
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, 'verify');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length === 0) throw new UsageError(`verify: name at least one fixture file.\n${USAGE}`);
    const fixtures = positionals.map((path) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new UsageError(`verify: cannot read ${path}: ${(e as Error).message}`);
      }
      try {
        return parseTorchFixture(text, path);
      } catch (e) {
        throw new UsageError(`verify: ${(e as Error).message}`);
      }
    });
    const { device, adapterInfo } = await requestNodeDevice();
    let failed = false;
    try {
      for (const f of fixtures) {
        const report: FixtureReport = await verifyFixture(device, f, adapterInfo);
        failed ||= !report.pass;
        io.out(JSON.stringify(report));
      }
    } finally {
      device.destroy();
    }
    return failed ? 1 : 0;
  },
};
