// `lstm-playground predict DIR FILE.csv`: applies a saved model to a CSV of the same schema, predictions as CSV on stdout.
import { parseCsvPath } from '../../data/csv_node';
import { DataError } from '../../data/data_error';
import { WeightFileError } from '../../export/safetensors';
import { predictWithEngine } from '../../model_io/engine_predict';
import { headlessEngines } from '../../model_io/headless_engines';
import { buildInferenceInputs } from '../../model_io/inference_inputs';
import { readModelDir } from '../../model_io/model_dir';
import { predictionsCsv } from '../../model_io/predictions_csv';
import { requestNodeDevice } from '../../gpu/node_device';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand } from '../command';
import { ENGINE_HELP, engineFlag } from '../engine_flag';

const FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show this help' },
  engine: { type: 'string', help: ENGINE_HELP },
};

const USAGE = 'Usage: lstm-playground predict DIR FILE.csv';
const SUMMARY =
  'Loads DIR/model.safetensors and DIR/model.json (written by `train --out DIR` or exported from the playground),\n' +
  'checks them, reads FILE.csv (the same columns as the training data; label columns are not needed) and writes the\n' +
  'predictions as CSV to standard output, in original units, normalized with the statistics saved in model.json.\n' +
  '  forecast: one line per window of the file (the last one predicts past its end): the series, `last_row` (the\n' +
  '    1-based data row of the window\'s last step, header not counted), `last_<time column>`, then one column per\n' +
  '    output, e.g. `price t+1`.\n' +
  '  classification: one line per row (per series in long format): `row`, `predicted` (the class name) and `p(<class>)`\n' +
  '    for every class (softmax of the logits).\n' +
  'Exit codes: 0 done; 1 unreadable or invalid model files or CSV (the reason is printed); 2 bad options.';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'apply a trained model to a CSV file and print the predictions as CSV',
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, 'predict');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length !== 2) {
      throw new UsageError(`predict: name the model folder and one CSV file (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}).\n${USAGE}`);
    }
    const [dir, csv] = positionals;
    const engine = engineFlag(flags.engine, 'predict');
    let model;
    try {
      model = readModelDir(dir);
    } catch (e) {
      if (!(e instanceof WeightFileError)) throw e;
      io.err(`predict: ${dir}: ${e.message}`);
      return 1;
    }
    if (model.manifest.task === 'generate') {
      io.err(`predict: ${dir} holds a text-generation model, which writes text rather than predicting rows: use \`lstm-playground generate ${dir} --prime TEXT\`.`);
      return 1;
    }
    let inputs;
    try {
      inputs = buildInferenceInputs(model.manifest, await parseCsvPath(csv));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      io.err(`predict: ${e.message.includes(csv) ? '' : `${csv}: `}${e.message}`);
      return 1;
    }
    for (const note of inputs.notes) io.err(`predict: ${note}`);
    // quiet about the engine it picks: stdout is the predictions, stderr stays for problems
    const { engines, release } = await headlessEngines(engine, requestNodeDevice);
    try {
      const outputs = await predictWithEngine(engines.build, model.config, model.tensors, inputs.x, inputs.count);
      io.out(predictionsCsv(model.manifest, inputs, outputs).trimEnd());
    } finally {
      release();
    }
    return 0;
  },
};
