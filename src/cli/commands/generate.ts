// `lstm-playground generate DIR --prime TEXT --length N`: writes text from a trained text-generation model to stdout.
import { WeightFileError } from '../../export/safetensors';
import { readModelDir } from '../../model_io/model_dir';
import { DEFAULT_SAMPLE, sampleProblems, sampleText, type SampleOptions } from '../../model_io/sampling';
import { StepModel } from '../../model_io/step_model';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand } from '../command';

const FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show this help' },
  prime: { type: 'string', help: 'the text the model reads before writing (default: a line break)' },
  length: { type: 'integer', help: `tokens (characters, or words) to write (default ${DEFAULT_SAMPLE.length})` },
  temperature: { type: 'number', help: `divides the logits before the softmax; 0 is greedy (default ${DEFAULT_SAMPLE.temperature})` },
  'top-k': { type: 'integer', help: 'sample only among the k most likely tokens (default 0: all)' },
  'top-p': { type: 'number', help: 'sample only among the most likely tokens whose probabilities reach p (default 1: all)' },
  seed: { type: 'integer', help: `seeds the sampler: the same seed and model write the same text (default ${DEFAULT_SAMPLE.seed})` },
};

const USAGE = 'Usage: lstm-playground generate DIR [--prime TEXT] [--length N] [--temperature T] [--top-k K] [--top-p P] [--seed S]';
const SUMMARY =
  'Loads a text-generation model (DIR/model.safetensors and model.json, from `train FILE.txt --task generate --out DIR`\n' +
  'or exported from the playground), reads the priming text one token at a time carrying the recurrent state, then\n' +
  'writes --length tokens, each drawn from the logits after the one before (padding and unknown tokens are never\n' +
  'written). Only the generated text goes to standard output (not the prime). Sampling: softmax of logits/temperature,\n' +
  'then top-k, then top-p, one seeded draw per token (src/model_io/sampling.ts; load_in_pytorch.py\'s generate() is the same).\n' +
  'Exit codes: 0 written; 1 unreadable model files or not a text-generation model; 2 bad options.';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'write text from a trained text-generation model',
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, 'generate');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`generate: name the model folder (got ${positionals.length} arguments).\n${USAGE}`);
    const options: SampleOptions = {
      length: (flags.length as number | undefined) ?? DEFAULT_SAMPLE.length,
      temperature: (flags.temperature as number | undefined) ?? DEFAULT_SAMPLE.temperature,
      topK: (flags['top-k'] as number | undefined) ?? DEFAULT_SAMPLE.topK,
      topP: (flags['top-p'] as number | undefined) ?? DEFAULT_SAMPLE.topP,
      seed: (flags.seed as number | undefined) ?? DEFAULT_SAMPLE.seed,
    };
    const problems = sampleProblems(options);
    if (problems.length > 0) throw new UsageError(`generate: ${problems.join('; ')}`);
    const dir = positionals[0];
    let model;
    try {
      model = readModelDir(dir);
    } catch (e) {
      if (!(e instanceof WeightFileError)) throw e;
      io.err(`generate: ${dir}: ${e.message}`);
      return 1;
    }
    const v = model.manifest.vocabulary;
    if (model.manifest.task !== 'generate' || !v) {
      io.err(`generate: ${dir} holds a ${model.manifest.task} model; generate needs one trained with --task generate.`);
      return 1;
    }
    const stepper = new StepModel(model.config, model.tensors);
    const sample = sampleText(stepper, { tokens: v.tokens, level: v.level, padId: v.padId, unknownId: v.unknownId }, typeof flags.prime === 'string' ? flags.prime : '', options);
    io.out(sample.text);
    return 0;
  },
};
