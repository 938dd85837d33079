// A fuzz campaign: deterministic cases from (seed, index), each run through the engine and (every `lspEvery`-th)
// through the language server's code-action path, with failures, timings and the slowest case collected.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Language } from '../../server/src/core/findings';
import { caseSeed, int, mutate, pick, rng } from './mutate';
import { checkEngine, type FuzzCase } from './props';
import { LspFuzzer } from './lspPath';
import { loadSeeds, NAMES } from './seeds';

/** A case slower than this through the engine is re-measured; the minimum of up to five re-runs must stay under it. */
export const CASE_BUDGET_MS = 100;

/**
 * The budget on this machine right now: 100 ms on a machine with a core to spare, stretched by how oversubscribed
 * it is (1-minute load average over cores) so other work on a shared machine is not blamed on an input.
 */
export function effectiveBudgetMs(): number {
  return CASE_BUDGET_MS * Math.max(1, os.loadavg()[0] / Math.max(1, os.cpus().length));
}

/** How often each language is chosen (only languages that exist are used). */
const LANGUAGE_WEIGHTS: [Language, number][] = [['dockerfile', 50], ['compose', 25], ['dockerignore', 12], ['trivyignore', 13]];

export interface CampaignOptions {
  cases: number;
  seed: number;
  /** Run every n-th case through the language server too (1 = every case, 0 = never). */
  lspEvery: number;
  /** Stop early after this long (the summary reports the real count). */
  maxMs?: number;
  /** Where to write failing inputs for replay. */
  crashDir?: string;
  progress?: (done: number, summary: CampaignSummary) => void;
}

export interface Slow { ms: number; index: number; language: Language; chars: number; describe: string }

export interface CampaignSummary {
  seed: number;
  cases: number;
  lspCases: number;
  byLanguage: Record<string, number>;
  failures: { index: number; describe: string; problems: string[]; saved?: string }[];
  /** Slowest single engine run as first measured (includes GC and scheduling noise). */
  slowest?: Slow;
  /** Slowest case after re-measuring the ones over budget (minimum of up to five re-runs). */
  slowestConfirmed?: Slow;
  /** Cases whose re-measured time stayed over the budget. */
  overBudget: Slow[];
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** The case at `index` of a run: a mutated seed of a chosen language. Deterministic. */
export function makeCase(runSeed: number, index: number): FuzzCase {
  const seeds = loadSeeds();
  const r = rng(caseSeed(runSeed, index));
  const weights = LANGUAGE_WEIGHTS.filter(([l]) => seeds.has(l));
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  let language = weights[0][0];
  for (const [l, w] of weights) { x -= w; if (x < 0) { language = l; break; } }
  const pool = seeds.get(language)!;
  const seed = pick(r, pool);
  const donor = () => pick(r, pool).text;
  const m = mutate(seed.text, r, donor);
  const name = language === 'trivyignore' ? seed.name : pick(r, NAMES[language]);
  let dockerignore: string | undefined;
  const ignores = seeds.get('dockerignore');
  if (language === 'dockerfile' && ignores && int(r, 3) === 0) dockerignore = mutate(pick(r, ignores).text, r, () => pick(r, ignores).text).text;
  return { language, name, text: m.text, dockerignore, describe: `${language} from ${seed.origin} via ${m.ops.join('+')}${dockerignore !== undefined ? ' (with a mutated .dockerignore)' : ''}` };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function remeasure(c: FuzzCase): Promise<number> {
  let best = Infinity;
  const budget = effectiveBudgetMs();
  for (let i = 0; i < 5 && best > budget; i++) best = Math.min(best, (await checkEngine(c)).ms);
  return best;
}

function save(dir: string | undefined, seed: number, index: number, c: FuzzCase): string | undefined {
  if (!dir) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${seed}-${index}-${c.name.replace(/^\./, '')}`);
  fs.writeFileSync(file, c.text);
  return file;
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignSummary> {
  const started = performance.now();
  const lsp = opts.lspEvery > 0 ? new LspFuzzer() : undefined;
  const times: number[] = [];
  const summary: CampaignSummary = {
    seed: opts.seed, cases: 0, lspCases: 0, byLanguage: {}, failures: [], overBudget: [], elapsedMs: 0, p50Ms: 0, p99Ms: 0,
  };
  const crashDir = opts.crashDir ?? path.join(os.tmpdir(), 'hullcheck-fuzz-crashes');
  try {
    // one untimed run per language first: compiling the compose schema and loading rule modules are one-time costs
    for (const [language, pool] of loadSeeds()) await checkEngine({ language, name: pool[0].name, text: pool[0].text, describe: 'warm-up' });
    for (let i = 0; i < opts.cases; i++) {
      if (opts.maxMs !== undefined && performance.now() - started > opts.maxMs) break;
      const c = makeCase(opts.seed, i);
      const engine = await checkEngine(c);
      const problems = [...engine.failures];
      if (lsp && i % opts.lspEvery === 0) {
        problems.push(...await lsp.check(c));
        summary.lspCases++;
      }
      summary.cases++;
      summary.byLanguage[c.language] = (summary.byLanguage[c.language] ?? 0) + 1;
      times.push(engine.ms);
      const slow: Slow = { ms: engine.ms, index: i, language: c.language, chars: c.text.length, describe: c.describe };
      if (!summary.slowest || engine.ms > summary.slowest.ms) summary.slowest = slow;
      let confirmed = engine.ms;
      if (engine.ms > CASE_BUDGET_MS) {
        confirmed = await remeasure(c);
        const budget = effectiveBudgetMs();
        if (confirmed > budget) {
          summary.overBudget.push({ ...slow, ms: confirmed });
          problems.push(`slow: ${confirmed.toFixed(1)} ms (best of the re-runs; budget ${budget.toFixed(0)} ms at load ${os.loadavg()[0].toFixed(1)})`);
        }
      }
      if (!summary.slowestConfirmed || confirmed > summary.slowestConfirmed.ms) summary.slowestConfirmed = { ...slow, ms: confirmed };
      if (problems.length) summary.failures.push({ index: i, describe: c.describe, problems, saved: save(crashDir, opts.seed, i, c) });
      if (opts.progress && summary.cases % 1000 === 0) opts.progress(summary.cases, summary);
    }
  } finally {
    lsp?.dispose();
  }
  times.sort((a, b) => a - b);
  summary.p50Ms = +quantile(times, 0.5).toFixed(2);
  summary.p99Ms = +quantile(times, 0.99).toFixed(2);
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}
