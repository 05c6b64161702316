// Training-time bookkeeping for snapshots: elapsed time with pauses left out, samples per second and ms per step.

/** Rates are measured over windows of at least this much training time. */
const WINDOW_MS = 500;

export class SessionMeter {
  private elapsed = 0;
  private activeSince: number | null = null;
  private windowStart = 0;
  private windowElapsed = 0;
  private windowSteps = 0;
  private windowSamples = 0;
  private samplesPerSec = NaN;
  private msPerStep = NaN;

  constructor(private readonly now: () => number) {}

  /** Training time so far, pauses excluded. */
  private elapsedNow(): number {
    return this.elapsed + (this.activeSince === null ? 0 : this.now() - this.activeSince);
  }

  setActive(active: boolean): void {
    if (active && this.activeSince === null) {
      this.activeSince = this.now();
      this.windowStart = this.elapsedNow();
      this.windowSteps = 0;
      this.windowSamples = 0;
    } else if (!active && this.activeSince !== null) {
      this.elapsed = this.elapsedNow();
      this.activeSince = null;
    }
  }

  /** Continues the clock of a resumed run. */
  setElapsed(ms: number): void {
    this.elapsed = ms;
    if (this.activeSince !== null) this.activeSince = this.now();
  }

  /** One training step of `samples` samples finished. */
  count(samples: number): void {
    this.windowSteps += 1;
    this.windowSamples += samples;
    const t = this.elapsedNow();
    this.windowElapsed = t - this.windowStart;
    if (this.windowElapsed >= WINDOW_MS) {
      this.samplesPerSec = (this.windowSamples * 1000) / this.windowElapsed;
      this.msPerStep = this.windowElapsed / this.windowSteps;
      this.windowStart = t;
      this.windowSteps = 0;
      this.windowSamples = 0;
    }
  }

  read(): { samplesPerSec: number; msPerStep: number; elapsedMs: number } {
    let { samplesPerSec, msPerStep } = this;
    // Before the first full window, report what the partial one shows.
    if (Number.isNaN(samplesPerSec) && this.windowSteps > 0 && this.windowElapsed > 0) {
      samplesPerSec = (this.windowSamples * 1000) / this.windowElapsed;
      msPerStep = this.windowElapsed / this.windowSteps;
    }
    return { samplesPerSec, msPerStep, elapsedMs: this.elapsedNow() };
  }
}
