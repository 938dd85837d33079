// Hands memory back after a spell of work: once the server has had nothing to do for a moment, one full garbage
// collection lets V8 release the heap pages that analyses left behind. Without it, the garbage of the last edits
// stays resident for as long as the editor sits idle.

/** Idle time after the last piece of work before collecting. */
export const IDLE_COLLECT_MS = 2000;

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  /** Work happened since the last collection (an idle server is not collected again and again). */
  private dirty = false;

  /**
   * `collect` is V8's gc() when the server runs with --expose-gc (the extension starts it so, see protocol/serverFlags.ts);
   * without it there is nothing to do.
   */
  constructor(
    private readonly collect: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    private readonly delayMs = IDLE_COLLECT_MS,
  ) {}

  /** Some work just happened: collect once things have been quiet for a while. */
  touch(): void {
    if (!this.collect) return;
    this.dirty = true;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.fire(), this.delayMs);
      this.timer.unref(); // never keeps the process alive
    }
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.dirty || !this.collect) return;
    this.dirty = false;
    this.collect();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
