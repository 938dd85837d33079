// The progress line of a long lint run: on a terminal (stderr) only, only once the run has taken a second, redrawn
// at most ten times a second and erased at the end, so short runs and stdout (the report) never see it.

import { printable } from '../core/terminal';

const DELAY_MS = 1000;
const REDRAW_MS = 100;

export interface ProgressOptions {
  /** Whether stderr is a terminal (and the line may be drawn). */
  tty: boolean;
  write: (s: string) => void;
  /** The terminal width, to keep the line on one row. */
  columns?: number;
  now?: () => number;
}

export class Progress {
  private done = 0;
  private shown = false;
  private last = 0;
  private readonly start: number;
  private readonly now: () => number;

  constructor(private readonly total: number, private readonly opts: ProgressOptions) {
    this.now = opts.now ?? Date.now;
    this.start = this.now();
  }

  /** One more file is done. */
  tick(file: string): void {
    this.done++;
    if (!this.opts.tty) return;
    const t = this.now();
    if (t - this.start < DELAY_MS || (this.shown && t - this.last < REDRAW_MS)) return;
    this.last = t;
    this.shown = true;
    const line = `hullcheck: ${this.done}/${this.total} files ${printable(file)}`;
    const width = Math.max((this.opts.columns ?? 80) - 1, 20);
    this.opts.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  }

  /** The same outputs, erasing the line before anything else is written to either. */
  guard<O extends { stdout: (s: string) => void; stderr: (s: string) => void }>(out: O): O {
    return { ...out, stdout: (s: string) => { this.end(); out.stdout(s); }, stderr: (s: string) => { this.end(); out.stderr(s); } };
  }

  /** Erase the line, if one was drawn. */
  end(): void {
    if (this.shown) this.opts.write('\r\x1b[2K');
    this.shown = false;
  }
}
