// Baselines a model must beat, on the same split: persistence and seasonal naive for forecasts, majority class for classes.
import { scaleValue, type Scaling } from './scaling';

/** Forecast errors in the data's original units (and MSE in normalized units, comparable to the training loss). */
export interface ForecastMetrics {
  /** Predicted values compared (windows × horizon × targets). */
  count: number;
  mse: number;
  rmse: number;
  mae: number;
  normalizedMse: number;
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
}

export interface Baseline {
  name: 'persistence' | 'seasonal-naive' | 'majority-class';
  /** What it predicts, for people. */
  description: string;
  validation: ForecastMetrics | ClassificationMetrics | null;
  test: ForecastMetrics | ClassificationMetrics | null;
}

/** Accumulates squared and absolute errors of forecasts. */
export class ForecastErrors {
  private count = 0;
  private squares = 0;
  private absolute = 0;
  private normalizedSquares = 0;

  add(predicted: number, actual: number, scaling: Scaling): void {
    const e = predicted - actual;
    this.count++;
    this.squares += e * e;
    this.absolute += Math.abs(e);
    const n = scaleValue(predicted, scaling) - scaleValue(actual, scaling);
    this.normalizedSquares += n * n;
  }

  result(): ForecastMetrics | null {
    if (this.count === 0) return null;
    const mse = this.squares / this.count;
    return { count: this.count, mse, rmse: Math.sqrt(mse), mae: this.absolute / this.count, normalizedMse: this.normalizedSquares / this.count };
  }
}

/** Predicts the class most frequent in training for every sample (ties: the lower class id). */
export function majorityBaseline(train: ArrayLike<number>, validation: ArrayLike<number>, test: ArrayLike<number>, classNames: string[]): Baseline {
  const counts = new Array(classNames.length).fill(0);
  for (let i = 0; i < train.length; i++) counts[train[i]]++;
  const majority = counts.indexOf(Math.max(...counts));
  const accuracy = (ids: ArrayLike<number>): ClassificationMetrics | null => {
    if (ids.length === 0) return null;
    let hits = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] === majority) hits++;
    return { count: ids.length, accuracy: hits / ids.length };
  };
  return {
    name: 'majority-class',
    description: `Always predicts ${JSON.stringify(classNames[majority])}, the most common class in training.`,
    validation: accuracy(validation),
    test: accuracy(test),
  };
}
