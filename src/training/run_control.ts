// Pause, resume, single-step and stop requests for a training loop, checked between batches.

export class RunControl {
  pauseRequested: boolean;
  stopRequested = false;
  /** Batches still allowed while paused (single steps). */
  private budget = 0;
  private wake: (() => void) | null = null;

  constructor(startPaused: boolean) {
    this.pauseRequested = startPaused;
  }

  pause(): void {
    this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.budget = 0;
    this.wakeUp();
  }

  /** Paused (or pausing): one more batch, then pause again. Training: pause after the current batch. */
  stepOnce(paused: boolean): void {
    if (this.pauseRequested || paused) this.budget += 1;
    this.pauseRequested = true;
    this.wakeUp();
  }

  stop(): void {
    this.stopRequested = true;
    this.wakeUp();
  }

  /** True while the loop should sit still (paused, no single step allowed, not stopping). */
  holding(): boolean {
    return this.pauseRequested && this.budget === 0 && !this.stopRequested;
  }

  /** Uses up one single step if one was asked for. */
  takeStep(): boolean {
    if (this.budget === 0) return false;
    this.budget -= 1;
    return true;
  }

  /** Resolves at the next request (or fault: call wakeUp). */
  waitForRequest(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
