// Responsiveness while a 5 MB Dockerfile is analysed: the bundled server gets the file, and a hover on a small
// document is sent every 10 ms until the large file's diagnostics are published (and 500 ms after, to catch the
// publish itself). Reports the slowest and the 99th-percentile answer, the analysis time and the diagnostics count.
// Run: npm run build:server && tsx test/bench/largeDocument.bench.ts (HULLCHECK_LARGE_LINT_DEADLINE_MS to vary it).

import * as os from 'node:os';
import { ServerProcess, quantile } from './lspProcess';

const SMALL = 'file:///nonexistent-hullcheck-bench/small/Dockerfile';
const LARGE = 'file:///nonexistent-hullcheck-bench/large/Dockerfile';

function bigDockerfile(bytes: number): string {
  const stage = (i: number) => `FROM debian:bookworm-slim AS s${i}\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nWORKDIR /app\nRUN make build-${i}\n`;
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += stage(i);
  return out;
}

async function main(): Promise<void> {
  const server = new ServerProcess({ HULLCHECK_LARGE_LINT_DEADLINE_MS: process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS ?? '60000' });
  await server.initialize();
  await server.open(SMALL, 'FROM debian:12\nRUN apt-get install -y curl\n', 'dockerfile');
  const text = bigDockerfile(5 * 1024 * 1024);
  const times: number[] = [];
  let done = false;
  const started = performance.now();
  const published = server.published(LARGE, 1, 180_000).then((p) => { done = true; return p; });
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: LARGE, languageId: 'dockerfile', version: 1, text } });
  let after = 0;
  while (!done || after++ < 50) {
    const t = performance.now();
    await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: SMALL }, position: { line: 1, character: 5 } });
    times.push(performance.now() - t);
    if (process.env.BENCH_VERBOSE && performance.now() - t > 60) console.error(`slow: ${(performance.now() - t).toFixed(0)} ms at ${(t - started).toFixed(0)} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const pub = await published;
  const analysed = performance.now() - started;
  await server.stop();
  console.log(JSON.stringify({
    load: os.loadavg().map((l) => +l.toFixed(2)), analysedMs: Math.round(analysed), diagnostics: pub.diagnostics.length,
    requests: times.length, maxMs: +Math.max(...times).toFixed(1), p99Ms: +quantile(times, 0.99).toFixed(1), p50Ms: +quantile(times, 0.5).toFixed(1),
  }));
}

void main();
