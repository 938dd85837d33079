// The Engine API streams events and build output as newline-delimited JSON split at arbitrary chunk boundaries;
// this joins chunks and hands back complete, non-empty lines.

export class LineSplitter {
  private pending = '';

  /** Add a chunk; returns the complete lines it finished (trimmed, empty ones dropped). */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const out: string[] = [];
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).trim();
      this.pending = this.pending.slice(nl + 1);
      if (line) out.push(line);
    }
    return out;
  }
}
