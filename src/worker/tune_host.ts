// The worker's side of a search: runs the trials one after another on the worker's engine, each saved as a normal
// run in Past runs (checkpointed, resumable, exportable), a halving trial continuing its own record; streams the
// search's snapshot to the UI; the search itself is saved as it goes (tune_persistence.ts), and a saved one resumes.
import type { TrainConfig } from '../engine/config';
import type { RunRecord } from '../storage/checkpoint_store';
import type { TuneStore } from '../storage/tune_store';
import type { EngineFactory } from '../training/engine_factory';
import { trainingDataOf } from '../training/from_training_set';
import { TuneRunner, type TuneResult } from '../training/tune_runner';
import { choicesFor, checkVary, dataKey, describeDataSettings, spaceProblem, type TrialSettings } from '../training/tune_space';
import { transformRanking } from '../training/tune_scale';
import { dataSource, withChoices, type LoadedData } from './data_host';
import type { TuneRequest, WorkerEvent } from './protocol';
import type { RunPersistence } from './run_persistence';
import { TunePersistence, type LoadedTune } from './tune_persistence';

export interface TuneHostOptions {
  post: (event: WorkerEvent) => void;
  store: RunPersistence | null;
  data: LoadedData;
  /** The complete config of the loaded data (its fields filled in); each trial changes the varied settings. */
  config: TrainConfig;
  engines: EngineFactory;
  patience: number;
  request: TuneRequest;
  /** Where the search is saved (null: it does not survive a reload). */
  tunes?: TuneStore | null;
  /** A saved search to continue (its request, config and patience are the ones above). */
  saved?: LoadedTune;
  /** A write of the search failed. */
  onStorageError?: (message: string) => void;
}

/** Throws an Error a person can act on when the request cannot make a search on this data. */
export function checkTuneRequest(r: TuneRequest, d: LoadedData): void {
  for (const v of r.space) checkVary(v);
  const problem = d.choices ? spaceProblem(r.space, d.choices) : null;
  if (problem) throw new Error(`Cannot search: ${problem}.`);
}

export class TuneHost {
  readonly runner: TuneRunner;
  /** The saved run of each trial (a halving trial keeps writing its own). */
  private readonly runs = new Map<number, RunRecord>();
  private readonly dataOf = new Map<string, LoadedData>();
  /** The search's saved record (null without storage). */
  private readonly saved: TunePersistence | null = null;

  constructor(private readonly o: TuneHostOptions) {
    checkTuneRequest(o.request, o.data);
    const { post, store } = o;
    const r = o.request;
    for (const [trial, run] of o.saved?.runs ?? []) this.runs.set(trial, run);
    const progress = () => this.saved?.progress(this.runner.snapshot(), this.runIds());
    this.runner = new TuneRunner({
      search: { strategy: r.strategy, space: r.space, trials: r.trials, maxEpochs: o.config.epochs, seed: o.config.seed, eta: r.eta },
      baseConfig: o.config,
      trialData: (s) => {
        const d = this.trialData(s);
        return trainingDataOf(d.set!, [d.name, JSON.stringify(d.choices), JSON.stringify(d.uses)], o.config.headOn);
      },
      engines: o.engines,
      rankScale: transformRanking(r.space, (s) => this.trialData(s).set!),
      minutes: r.minutes,
      patience: o.patience,
      resume: o.saved?.resume,
      callbacks: {
        onTrialStart: (job) => {
          if (store) {
            const d = this.trialData(job.settings);
            const run = this.runs.get(job.trial);
            if (run) store.adopt(run, dataSource(d));
            else store.begin(this.runner.configOf(job.settings, job.epochs), d.name, dataSource(d));
            store.note({ baselines: d.set!.baselines });
            if (store.current) this.runs.set(job.trial, store.current);
          }
          progress();
        },
        onJobDone: (rec, point) => this.saved?.jobDone(rec, point, this.runner.snapshot(), this.runIds()),
        onCheckpoint: (trial, cp) => {
          store?.checkpoint(cp, 'training');
          if (store?.current) this.runs.set(trial, store.current);
        },
        onTrialEnd: (rec, result) => {
          store?.end(result);
          if (store?.current) this.runs.set(rec.trial, store.current);
        },
        onSnapshot: (snapshot) => post({ type: 'tune', snapshot, runIds: this.runIds(), tuneId: this.tuneId }),
      },
    });
    for (const t of this.runner.search.trials) this.trialData(t); // a window the data cannot take fails now, before training
    if (o.tunes) {
      const onError = (e: Error) => o.onStorageError?.(`${e.message} The search goes on, but a reload would lose it.`);
      const from = o.saved?.tune ?? { definition: r, config: o.config, patience: o.patience, datasetName: o.data.name };
      this.saved = new TunePersistence(o.tunes, from, o.saved ? null : dataSource(o.data), this.runner.search.rungs, onError);
      progress();
    }
  }

  /** The id of the search's saved record (null without storage). */
  get tuneId(): string | null {
    return this.saved?.id ?? null;
  }

  /** The data of a trial: the loaded set, or one rebuilt for its window and transform. */
  private trialData(s: TrialSettings): LoadedData {
    const d = this.o.data;
    if (s.window === undefined && s.transform === undefined) return d;
    const key = dataKey(s);
    let built = this.dataOf.get(key);
    if (!built) {
      built = withChoices(d, choicesFor(d.choices!, s), d.uses);
      if (!built.set) throw new Error(`${describeDataSettings(s)}: ${built.problem ?? 'the data does not build with this setting'}`);
      this.dataOf.set(key, built);
    }
    return built;
  }

  /** Each trial's saved run id, for the page to open one (trials not saved yet are absent). */
  private runIds(): Record<number, string> {
    return Object.fromEntries([...this.runs].map(([trial, run]) => [trial, run.id]));
  }

  /** The saved run of a trial (null where nothing is stored). */
  runOf(trial: number): RunRecord | null {
    return this.runs.get(trial) ?? null;
  }

  /** Runs the search to its end; its saved record says how it ended (a stopped one can be resumed). */
  async start(): Promise<TuneResult> {
    let result: TuneResult;
    try {
      result = await this.runner.start();
    } catch (e) {
      this.saved?.failed(this.runner.snapshot(), this.runIds());
      throw e;
    }
    this.saved?.end(result.reason, this.runner.snapshot(), this.runIds());
    return result;
  }

  /** Resolves once the search's record is written. */
  flush(): Promise<void> {
    return this.saved?.flush() ?? Promise.resolve();
  }

  stop(): void {
    this.runner.stop();
  }
}
