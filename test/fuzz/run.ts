// Fuzz runner: `npm run fuzz -- --cases N [--seed S] [--lsp-every K] [--minutes M] [--json FILE] [--structured R]`.
// Prints progress and a summary (cases, crashes, slowest case, seed), then runs each structured property (generated
// globs, pragmas, nested YAML) R times (default: cases / 20); exits 1 when any property failed.

import * as fs from 'node:fs';
import { runCampaign, type CampaignSummary } from './campaign';
import { runStructured } from './structured';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

function num(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${v}`);
  return n;
}

function line(s: CampaignSummary): string {
  const slow = s.slowest ? `${s.slowest.ms.toFixed(1)} ms (#${s.slowest.index}, ${s.slowest.language}, ${s.slowest.chars} chars)` : '-';
  return `${s.cases} cases (${s.lspCases} via LSP), ${s.failures.length} failing, slowest ${slow}, ${(s.elapsedMs / 1000).toFixed(0)} s`;
}

async function main(): Promise<void> {
  const cases = num('cases', 10_000);
  const seed = num('seed', Date.now() % 2 ** 31);
  const lspEvery = num('lsp-every', 10);
  const minutes = arg('minutes') !== undefined ? num('minutes', 0) : undefined;
  const started = Date.now();
  console.log(`fuzz: seed ${seed}, up to ${cases} cases, LSP path every ${lspEvery || 'never'}${minutes ? `, at most ${minutes} min` : ''}`);
  const summary = await runCampaign({
    cases, seed, lspEvery, maxMs: minutes ? minutes * 60_000 : undefined,
    progress: (done, s) => {
      if (done % 10_000 === 0) console.log(`  ${line({ ...s, elapsedMs: Date.now() - started })}`);
    },
  });
  console.log(`done: ${line(summary)}`);
  console.log(`engine time per case: p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms`);
  console.log('by language:', JSON.stringify(summary.byLanguage));
  if (summary.slowest) console.log(`slowest (first run): ${summary.slowest.ms.toFixed(1)} ms, ${summary.slowest.describe}`);
  if (summary.slowestConfirmed) console.log(`slowest (re-measured when over budget): ${summary.slowestConfirmed.ms.toFixed(1)} ms, ${summary.slowestConfirmed.describe}`);
  for (const f of summary.failures.slice(0, 20)) {
    console.log(`FAIL #${f.index} (${f.describe})${f.saved ? ` saved to ${f.saved}` : ''}`);
    for (const p of f.problems.slice(0, 5)) console.log(`    ${p}`);
  }
  if (summary.failures.length > 20) console.log(`... and ${summary.failures.length - 20} more failing cases`);
  const json = arg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(summary, null, 2));
  const runs = num('structured', Math.max(100, Math.round(cases / 20)));
  const structured = runs ? await runStructured(runs, seed) : [];
  console.log(`structured: ${runs} runs per property, ${structured.length} failing`);
  for (const f of structured) console.log(`FAIL ${f}`);
  process.exit(summary.failures.length || structured.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
