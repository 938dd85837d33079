// Lints every repository of the review set (repos.tsv) at its root with the built CLI, as a user would run it,
// and prints the counts the accuracy figures come from. With --sample it also draws the seeded, stratified set of
// findings to judge by hand (every error, and N warnings spread over rules), and with --verdicts it computes the
// figures from a judged verdicts.tsv.
//
// Usage: node --import tsx test/realworld/run.ts CHECKOUTS [--out DIR] [--sample N --seed S]
//        node --import tsx test/realworld/run.ts --verdicts test/realworld/verdicts.tsv --out DIR
// CHECKOUTS holds one folder per repository named owner+name, checked out at the commit in repos.tsv.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { discover } from '../../server/src/facts/discoverFiles';
import { rng } from '../fuzz/mutate';

const run = promisify(execFile);
const here = __dirname;
const cli = path.resolve(here, '../../server/out/cli.js');

interface Repo { repo: string; commit: string }
interface Finding { file: string; rule: string; severity: string; line: number; message: string }
interface Row { repo: string; commit: string; file: string; line: number; rule: string; severity: string; message: string }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function readRepos(): Repo[] {
  return readFileSync(path.join(here, 'repos.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim())
    .map((l) => { const [repo, commit] = l.split('\t'); return { repo, commit }; });
}

function shuffle<T>(xs: T[], next: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(next() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

/** Every error, plus n warnings drawn round-robin over rules (each rule's findings shuffled). */
function sample(rows: Row[], n: number, seed: number): Row[] {
  const next = rng(seed);
  const errors = rows.filter((r) => r.severity === 'error');
  const picked: Row[] = [];
  const byRule = new Map<string, Row[]>();
  for (const r of shuffle(rows.filter((r) => r.severity === 'warning'), next)) {
    byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r]);
  }
  const queues = shuffle([...byRule.values()], next);
  while (picked.length < n && queues.some((q) => q.length)) {
    for (const q of queues) if (q.length && picked.length < n) picked.push(q.shift()!);
  }
  return [...errors, ...picked];
}

async function lintAll(checkouts: string, out: string): Promise<Row[]> {
  const rows: Row[] = [];
  const totals = { dockerfile: 0, compose: 0 };
  const lines: string[] = ['repo\tdockerfiles\tcompose\terror\twarning\tinfo\thint'];
  for (const { repo, commit } of readRepos()) {
    const dir = path.join(checkouts, repo.replace('/', '+'));
    if (!existsSync(dir)) { console.error(`missing checkout: ${dir}`); continue; }
    const found = await discover([dir]);
    const langs = [...found.languages.values()];
    const df = langs.filter((l) => l === 'dockerfile').length;
    const cf = langs.filter((l) => l === 'compose').length;
    totals.dockerfile += df; totals.compose += cf;
    // exit status 1 only means findings at the fail level
    const res = await run('node', [cli, 'lint', '--format', 'json', dir], { maxBuffer: 256 << 20 })
      .catch((e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '' }));
    const findings = (JSON.parse(res.stdout || '{"findings":[]}') as { findings: Finding[] }).findings;
    const sev = (s: string) => findings.filter((f) => f.severity === s).length;
    lines.push([repo, df, cf, sev('error'), sev('warning'), sev('info'), sev('hint')].join('\t'));
    for (const f of findings) {
      rows.push({ repo, commit, file: path.relative(dir, f.file), line: f.line, rule: f.rule, severity: f.severity, message: f.message });
    }
  }
  writeFileSync(path.join(out, 'per-repo.tsv'), lines.join('\n') + '\n');
  writeFileSync(path.join(out, 'findings.json'), JSON.stringify(rows, null, 1));
  const count = (s: string) => rows.filter((r) => r.severity === s).length;
  const byRule = new Map<string, number>();
  for (const r of rows) if (r.severity === 'error' || r.severity === 'warning') byRule.set(`${r.severity} ${r.rule}`, (byRule.get(`${r.severity} ${r.rule}`) ?? 0) + 1);
  console.log(`repositories ${lines.length - 1}, Dockerfiles ${totals.dockerfile}, compose files ${totals.compose}`);
  console.log(`findings: error ${count('error')}, warning ${count('warning')}, info ${count('info')}, hint ${count('hint')}`);
  console.log(`errors + warnings per Dockerfile: ${((count('error') + count('warning')) / Math.max(1, totals.dockerfile)).toFixed(2)}`);
  for (const [k, v] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${v}\t${k}`);
  return rows;
}

/**
 * The figures from judged verdicts and the run they were drawn from (DIR/findings.json, DIR/per-repo.tsv). The
 * warnings were drawn evenly over rules, so each rule's verdict shares are weighted by how many warnings it raised.
 */
function figures(file: string, dir: string): void {
  const rows = JSON.parse(readFileSync(path.join(dir, 'findings.json'), 'utf8')) as Row[];
  // verdicts of findings this run no longer reports as an error or warning (fixed, or lowered to info, since they
  // were judged) do not count; the severity is this run's, not the one recorded with the verdict
  const reported = new Map(rows.filter((r) => r.severity === 'error' || r.severity === 'warning')
    .map((r) => [[r.repo, r.file, r.line, r.rule].join('\t'), r.severity]));
  const all = readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim()).map((l) => l.split('\t'));
  const judged = all.filter((r) => reported.has([r[0], r[2], r[3], r[4]].join('\t')))
    .map((r) => { const c = [...r]; c[5] = reported.get([r[0], r[2], r[3], r[4]].join('\t'))!; return c; });
  if (judged.length < all.length) console.log(`${all.length - judged.length} judged findings are no longer reported as errors or warnings`);
  const dockerfiles = readFileSync(path.join(dir, 'per-repo.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim())
    .reduce((n, l) => n + Number(l.split('\t')[1]), 0);
  const of = (sev: string, v?: string) => judged.filter((r) => r[5] === sev && (!v || r[6] === v)).length;
  console.log(`judged ${judged.length}: errors ${of('error')} of ${rows.filter((r) => r.severity === 'error').length} ` +
    `(true ${of('error', 'true')}, noisy ${of('error', 'noisy')}, false ${of('error', 'false')}); ` +
    `warnings ${of('warning')} (true ${of('warning', 'true')}, noisy ${of('warning', 'noisy')}, false ${of('warning', 'false')})`);
  const est = { true: 0, noisy: 0, false: 0 } as Record<string, number>;
  const warnings = rows.filter((r) => r.severity === 'warning');
  let covered = 0;
  for (const rule of new Set(warnings.map((r) => r.rule))) {
    const mine = judged.filter((r) => r[5] === 'warning' && r[4] === rule);
    if (!mine.length) continue;
    const n = warnings.filter((r) => r.rule === rule).length;
    covered += n;
    for (const v of Object.keys(est)) est[v] += n * mine.filter((r) => r[6] === v).length / mine.length;
  }
  const pct = (x: number) => (100 * x / Math.max(1, covered)).toFixed(1);
  console.log(`default warnings, weighted by rule over the ${covered} of ${warnings.length} from judged rules: ` +
    `true ${pct(est.true)} %, noisy ${pct(est.noisy)} %, false ${pct(est.false)} %`);
  console.log(`estimated noisy or false warnings per 10 Dockerfiles: ${(10 * (est.noisy + est.false) / Math.max(1, dockerfiles)).toFixed(1)} ` +
    `(noisy ${(10 * est.noisy / Math.max(1, dockerfiles)).toFixed(1)}, over ${dockerfiles} Dockerfiles)`);
}

async function main(): Promise<void> {
  const verdicts = arg('--verdicts');
  if (verdicts) return figures(verdicts, arg('--out') ?? '.');
  const checkouts = process.argv[2];
  if (!checkouts || checkouts.startsWith('--')) throw new Error('usage: run.ts CHECKOUTS [--out DIR] [--sample N --seed S] | run.ts --verdicts FILE --out DIR');
  const out = path.resolve(arg('--out') ?? path.join(checkouts, '.hullcheck-review'));
  mkdirSync(out, { recursive: true });
  const rows = await lintAll(path.resolve(checkouts), out);
  const n = Number(arg('--sample') ?? 0);
  if (n) {
    const picked = sample(rows, n, Number(arg('--seed') ?? 1));
    const tsv = ['repo\tcommit\tfile\tline\trule\tseverity\tmessage', ...picked.map((r) => [r.repo, r.commit, r.file, r.line, r.rule, r.severity, r.message.replace(/\s+/g, ' ')].join('\t'))];
    writeFileSync(path.join(out, 'sample.tsv'), tsv.join('\n') + '\n');
    console.log(`sample of ${picked.length} written to ${path.join(out, 'sample.tsv')}`);
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 2; });
