// The data layer's entry points for the UI, workers and the CLI: read a CSV, describe it, build a training set.
// (Node-only file reading lives in csv_node.ts, so browser bundles never pull in node:fs.)
export { DEFAULT_MAX_BYTES, parseCsvBlob, parseCsvStream, parseCsvString, type CsvReadOptions, type CsvSource, type ParseProgress } from './csv_stream';
export { describeTable, type DataWarning, type TableReport } from './describe_table';
export { buildTrainingSet, suggestedChoices, trainConfigFields } from './training_set';
export type * from './training_types';
export { scaleValue, unscaleForecast, unscaleValue, type Scaling, type ScalingMethod } from './scaling';
export { decodeForecast, isTransformName, mixesTime, TRANSFORM_NAMES, type ForecastDecoder, type ForecastTransform, type TransformName } from './target_transform';
export { cellText, chooseDayMonthOrder, columnNamed, numericValues, type Column, type DataTable } from './table';
export { DataError } from './data_error';
export { everyStepProblem, lastStepOutputs, targetsFor } from './step_targets';
export type { ColumnProfile, ColumnType } from './column_stats';
export type { DatasetShape, ShapeGuess, Task } from './dataset_shape';
export type { Baseline, ClassificationMetrics, ForecastMetrics } from './baselines';
export type { MissingPolicy } from './missing_values';
export { CALENDAR_FEATURES } from './calendar_features';
export { PAD_TOKEN, UNKNOWN_TOKEN } from './text_set';
