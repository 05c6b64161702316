// The one entry the UI and CLI call: a parsed table plus the person's choices in, an engine-ready training set out.
import { forecastDefaults } from './forecast_defaults';
import type { TrainConfig } from '../engine/config';
import { guessShape } from './dataset_shape';
import { DataError } from './data_error';
import { buildForecastSet } from './forecast_set';
import { buildGenerateSet, textOfColumn } from './generate_set';
import { checkRepresentable } from './representable';
import { buildSequenceSet } from './sequence_set';
import type { DataTable } from './table';
import { buildTextSet } from './text_set';
import type { TrainingChoices, TrainingSet } from './training_types';
import { everyStepProblem } from './step_targets';

export type * from './training_types';

/**
 * Builds the training set the choices describe. Throws a DataError a person can act on (too few rows for the window,
 * text in a numeric column, only one class, …); nothing is changed when it throws.
 */
export function buildTrainingSet(table: DataTable, choices: TrainingChoices): TrainingSet {
  switch (choices.task) {
    case 'forecast':
      return checkRepresentable(table, choices, buildForecastSet(table, choices));
    case 'classify-sequences':
      return checkRepresentable(table, choices, buildSequenceSet(table, choices));
    case 'classify-text':
      return buildTextSet(table, choices);
    case 'generate':
      if (!choices.textColumn) throw new DataError('Name the text column to learn to write from (a CSV needs one; a .txt file is read whole).');
      return buildGenerateSet(textOfColumn(table, choices.textColumn, choices.separator ?? '\n'), choices);
    default:
      throw new DataError(`Unknown task ${JSON.stringify((choices as { task: unknown }).task)}; choose forecast, classify-sequences, classify-text or generate.`);
  }
}

/**
 * Choices to start from, following the guessed shape: forecast the last numeric column one step ahead with a window
 * of up to 24 steps; classify wide rows, long series or texts by their label column. The person can change any of them.
 */
export function suggestedChoices(table: DataTable): TrainingChoices {
  const shape = guessShape(table);
  if (shape.suggestedTask === 'classify-text') {
    return { task: 'classify-text', textColumn: shape.textColumn!, labelColumn: shape.labelColumn!, ...(shape.textTokens === 'char' ? { tokens: 'char' as const } : {}) };
  }
  if (shape.suggestedTask === 'classify-sequences') {
    if (shape.shape === 'wide') return { task: 'classify-sequences', format: 'wide', labelColumn: shape.labelColumn!, valueColumns: shape.valueColumns };
    return {
      task: 'classify-sequences',
      format: 'long',
      labelColumn: shape.labelColumn!,
      groupColumn: shape.groupColumn,
      timeColumn: shape.timeColumn,
      valueColumns: shape.valueColumns,
    };
  }
  const target = shape.valueColumns[shape.valueColumns.length - 1];
  if (target === undefined) {
    const names = table.columns.map((c) => JSON.stringify(c.name)).join(', ');
    throw new DataError(`No column holds numbers to forecast. The columns are: ${names}.`);
  }
  const defaults = forecastDefaults(table, { target, timeColumn: shape.timeColumn, groupColumn: shape.groupColumn });
  return {
    task: 'forecast',
    targets: [target],
    timeColumn: shape.timeColumn,
    groupColumn: shape.groupColumn,
    window: defaults.window,
    horizon: 1,
    ...(defaults.calendar.length > 0 ? { calendar: defaults.calendar } : {}),
  };
}

/** The TrainConfig fields a training set decides. The head goes on every step when asked and the set has a target
 *  at every step (everyStepProblem), else on the last step. */
export function trainConfigFields(set: TrainingSet, headOn: TrainConfig['headOn'] = 'last_step'): Pick<TrainConfig, 'inputSize' | 'outputSize' | 'loss' | 'headOn' | 'vocabSize' | 'window'> {
  const head = headOn === 'every_step' && everyStepProblem(set) === null ? 'every_step' : set.headOn;
  return { inputSize: set.inputSize, outputSize: set.outputSize, loss: set.loss, headOn: head, vocabSize: set.vocabSize, window: set.window };
}
