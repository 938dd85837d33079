// `hullcheck baseline` writes the findings of today as accepted, and `lint --baseline FILE` reports only the
// findings not in it plus the accepted ones that are gone (fixed), so the baseline file only ever shrinks.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  BASELINE_FILE, BaselineMatcher, baselineEntries, baselinePath, parseBaseline, renderBaseline, type Baseline, type BaselineEntry,
} from '../core/findingBaseline';
import { writeFileAtomic } from '../core/atomicWrite';
import { EXIT } from './format';
import { nodeHost } from '../core/fileHost';
import { INTERNAL_ERROR_RULE, type Finding, type Language } from '../core/findings';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

/** How the lint loop hands each file's findings to a baseline, and how the baseline adds to the output. */
export interface LintHook {
  /** The findings of one file that stay in the report. */
  file(file: string, text: string, language: Language | undefined, findings: Finding[]): Finding[];
  /** Adds to the rendered report (text, JSON) or to stderr (other formats) once every file is linted. */
  finish(format: string, rendered: string, out: Out, run: RunCoverage): string;
}

/** What the run could judge: without ShellCheck (off, missing, failed) accepted SC findings are neither fixed nor new. */
export interface RunCoverage { shellcheck: boolean }

const isShellcheckRule = (rule: string) => /^SC\d+$/.test(rule);

export class BaselineError extends Error {}

/** Read and validate a baseline file; a missing or broken one is an error the run stops on (exit 2). */
export async function readBaseline(file: string): Promise<Baseline> {
  const r = await nodeHost.read(file, 'report', { userChosen: true });
  if (!r.ok && r.reason === 'missing') throw new BaselineError(`${file}: no such baseline; create it with \`hullcheck baseline\``);
  if (!r.ok) throw new BaselineError(`cannot read ${file}: ${r.message}`);
  const parsed = parseBaseline(r.text);
  if (typeof parsed === 'string') throw new BaselineError(`${file}: ${parsed}`);
  return parsed;
}

/** `lint --baseline FILE`: drop findings the baseline holds and report the entries that are fixed. */
export async function baselineFilter(file: string): Promise<LintHook> {
  const dir = path.dirname(path.resolve(file));
  const matcher = new BaselineMatcher(await readBaseline(file), dir);
  return {
    file(f, text, language, findings) {
      const inBaseline = matcher.match(f, text, language, findings);
      return findings.filter((_, i) => !inBaseline[i]);
    },
    finish(format, rendered, out, run) {
      // existence only (existsSync never opens the file), so no file host read is needed
      const fixed = matcher.fixed((rel) => existsSync(path.join(dir, rel))).filter((e) => run.shellcheck || !isShellcheckRule(e.rule));
      const accepted = matcher.matchedCount;
      if (format === 'json') {
        const doc = JSON.parse(rendered) as Record<string, unknown>;
        doc.baseline = { file, matched: accepted, fixed: fixed.map((e) => ({ file: e.file, rule: e.rule, fingerprint: e.fingerprint, message: e.message })) };
        return JSON.stringify(doc, null, 2) + '\n';
      }
      const lines = fixed.map((e) => `${e.file}: fixed ${e.message} [${e.rule}] (in the baseline, no longer found)`);
      const summary = `Baseline ${file}: ${accepted} accepted finding${accepted === 1 ? '' : 's'} not shown` +
        (fixed.length ? `; ${fixed.length} entr${fixed.length === 1 ? 'y is' : 'ies are'} fixed, run \`hullcheck baseline\` to drop ${fixed.length === 1 ? 'it' : 'them'}.` : '.');
      if (format === 'text') return rendered + [...lines, summary].join('\n') + '\n';
      out.stderr([...lines, summary].map((l) => `hullcheck: ${l}`).join('\n') + '\n');
      return rendered;
    },
  };
}

/** The baseline being updated; one that cannot be read is started over by `--reset` (with a note), else an error. */
async function readPrevious(file: string, reset: boolean, out: Out): Promise<Baseline | undefined> {
  try {
    return await readBaseline(file);
  } catch (e) {
    if (!reset || !(e instanceof BaselineError)) throw e;
    out.stderr(`hullcheck: ${e.message}; --reset starts it over\n`);
    return undefined;
  }
}

/**
 * `hullcheck baseline [PATH...]`: record every finding of the run. An existing baseline only shrinks: entries
 * still found are kept and new findings are not added, unless `--reset` starts over the entries of the files this
 * run lints (the entries of other files stay as they are).
 */
export async function baselineCommand(
  flags: { baseline?: string; reset?: boolean }, out: Out,
  runLint: (hook: LintHook) => Promise<number>,
): Promise<number> {
  const file = flags.baseline ?? BASELINE_FILE;
  const dir = path.dirname(path.resolve(file));
  const previous = existsSync(file) ? await readPrevious(file, !!flags.reset, out) : undefined;
  const found: BaselineEntry[] = [];
  /** Files this run linted, as baseline paths: only their entries (and those of deleted files) can be fixed. */
  const linted = new Set<string>();
  let coverage: RunCoverage = { shellcheck: true };
  const code = await runLint({
    file(f, text, language, findings) {
      const rel = baselinePath(dir, f);
      // a rule that could not run on the file did not judge its accepted findings: they stay as they are
      if (findings.some((x) => x.rule === INTERNAL_ERROR_RULE) && previous?.entries.some((e) => e.file === rel)) return [];
      linted.add(rel);
      found.push(...baselineEntries(dir, f, text, language, findings.filter((x) => x.rule !== INTERNAL_ERROR_RULE)));
      return [];
    },
    finish: (_format, _rendered, _out, run) => { coverage = run; return ''; },
  });
  if (code === 2) { out.stderr(`hullcheck: the baseline was not written because some files could not be read\n`); return 2; }
  let entries = [...found];
  let notAdded = 0;
  if (previous) {
    if (!flags.reset) {
      const old = new Set(previous.entries.map((e) => `${e.rule}\u0000${e.fingerprint}`));
      entries = found.filter((e) => old.has(`${e.rule}\u0000${e.fingerprint}`));
      notAdded = found.length - entries.length;
    }
    // a run over fewer paths (or --exclude, --changed-since) did not look at the other files: keep their entries
    // and a run without ShellCheck did not look at scripts: keep the accepted SC findings of the files it linted
    entries.push(...previous.entries.filter((e) => existsSync(path.join(dir, e.file))
      && (!linted.has(e.file) || (!coverage.shellcheck && isShellcheckRule(e.rule)))));
  }
  try {
    await writeFileAtomic(file, renderBaseline(entries));
  } catch (e) {
    out.stderr(`hullcheck: cannot write ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const dropped = previous && !flags.reset ? previous.entries.length - entries.length : 0;
  const kept = flags.reset ? entries.length - found.length : 0;
  out.stdout(`Wrote ${file} with ${entries.length} finding${entries.length === 1 ? '' : 's'}` +
    (previous && !flags.reset ? ` (${dropped} fixed entr${dropped === 1 ? 'y' : 'ies'} dropped)` : '') +
    (kept ? ` (${kept} entr${kept === 1 ? 'y' : 'ies'} of files not linted in this run kept)` : '') + '.\n');
  if (notAdded) out.stdout(`${notAdded} new finding${notAdded === 1 ? ' was' : 's were'} not added: fix ${notAdded === 1 ? 'it' : 'them'}, or start the baseline over with \`hullcheck baseline --reset\`.\n`);
  // written, but a check could not run: the entries it would have judged were kept as they were
  return code === EXIT.incomplete ? EXIT.incomplete : EXIT.clean;
}
