#!/usr/bin/env node
// The `hullcheck` command: the same engine as the language server, for CI.
// Exit codes (cli/format.ts EXIT): 0 clean, 1 findings at or above --fail-level, 2 usage or IO error, 3 a check that
// could not run (a rule that failed, a crashing ShellCheck), so the result is incomplete.

import { parseArgs } from 'node:util';
import { discover } from './facts/discoverFiles';
import { scanMain } from './cli/scan';
import { dockerMain } from './cli/engineCommands';
import { smokeMain } from './cli/smoke';
import { initMain } from './cli/init';
import { EXIT, FAIL_LEVELS, failedChecks, incompleteNote, reachesFailLevel, type FileFinding } from './cli/format';
import { fileFindings, isLintFormat, LINT_FORMATS, renderLint } from './cli/formats';
import { Progress } from './cli/progress';
import { printable } from './core/terminal';
import { reportPath } from './core/reportPath';
import { rulesCommand, RulesUsageError } from './cli/rulesCommand';
import { baselineCommand, baselineFilter, BaselineError, type LintHook } from './cli/baselineCommand';
import { exceptionsCommand, ExceptionsUsageError } from './cli/exceptions';
import { addShellcheck, cliShellcheck, failLevelFor, fails } from './cli/shellcheck';
import { lintFile, newRunCache } from './engine/lintFile';
import { cappedHost, readKindOf, READ_LIMITS } from './core/fileHost';
import { parseByteSize } from './core/size';
import { ConfigReadCache } from './features/lintHost';
import { runHost } from './cli/runHost';
import { writeFileAtomic } from './core/atomicWrite';
import { fixUntilStable } from './core/fixes';
import { CONFIG_ERROR_RULE, FILE_NOT_READ_RULE, type Finding, type Language } from './core/findings';
import { languageByName } from './facts/classifyFile';
import { version } from '../../package.json';

const USAGE = `Usage: hullcheck <command> [options]

Commands:
  lint [PATH...]      Lint Dockerfiles, compose files, .dockerignore and .trivyignore files
                      (folders are searched; default: the current folder)
  rules               List the rules with their default severity under a preset
  baseline [PATH...]  Record today's findings in .hullcheck-baseline.json, so lint --baseline reports only new ones
  exceptions [PATH...]  List every exception: inline ignores, rules turned off in config, baseline entries and
                      .trivyignore entries, with reason, expiry and place (--format text|json, --baseline FILE)
  image REF...        Check built images against the image conventions (see \`hullcheck image --help\`)
  budgets             Compare the workspace's built images with their size budgets
  scan REF|REPORT.json...  Check Trivy reports or scan images, applying .trivyignore (see \`hullcheck scan --help\`)
  init                Print a first .hullcheck.yaml for this folder; --write writes it (see \`hullcheck init --help\`)
  smoke               Start the compose stack, wait for health, probe endpoints and markers, tear down
                      (see \`hullcheck smoke --help\`)

Options for lint:
  --format FORMAT            text, json, sarif, github (workflow annotations) or gitlab (Code Quality report);
                             default: text
  --fail-level LEVEL         error|warning|info|none: exit 1 when a finding is at or above it (default: the
                             failure-threshold of the file's .hadolint.yaml, else warning)
  --no-shellcheck            Do not check RUN scripts with ShellCheck (used when \`shellcheck\` is on PATH)
  --config FILE              Use this .hullcheck.yaml instead of searching upward from each file
  --fix                      Apply safe fixes in place (with --stdin: print the fixed text)
  --stdin                    Read one file from standard input
  --stdin-filename NAME      The name to lint standard input as (default: Dockerfile)
  --enable-all               Turn on every rule, including those off by default
  --baseline FILE            Report only findings not in this baseline, and the baseline entries now fixed
  --exclude GLOB             Leave out matching files and folders (repeatable; relative to the current folder;
                             a glob without / matches at any depth). Folder walks also skip what .gitignore
                             and the exclude: list of .hullcheck.yaml leave out
  --changed-since REF        Lint only the files changed since REF (git diff REF...HEAD, plus uncommitted
                             and untracked files), within the given paths
  --max-file-size SIZE       Skip Dockerfiles and compose files larger than this, with a finding; SIZE has a
                             unit: 512kB, 20MB, 1GiB, 1000B (1 kB = 1,024 bytes; a bare number is refused).
                             Default: 5MB, or HULLCHECK_MAX_FILE_SIZE (lint and baseline)

Options for baseline:
  --baseline FILE            Where to write it (default: .hullcheck-baseline.json); an existing one only shrinks
  --reset                    Start over the entries of the files linted (the given paths): accept their
                             current findings; other files' entries stay

Options for rules:
  --format text|json         Output format (default: text)
  --preset NAME              recommended|strict|hadolint: the severities of that preset (default: recommended)
  --changes-since VERSION    What moving \`preset: NAME@VERSION\` to this release turns on or changes

  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage or IO error,
3 a check could not run (a rule failed with an internal-error finding, or ShellCheck crashed): the result is
incomplete
`;

class UsageError extends Error {}

/** Where output goes; `progress` writes the progress line's own terminal codes (stderr itself escapes them). */
type Out = { stdout: (s: string) => void; stderr: (s: string) => void; progress?: (s: string) => void };

const EXIT_INTERNAL = EXIT.incomplete;

export async function main(argv: string[], out: Out, readStdin: (maxBytes: number) => Promise<string>): Promise<number> {
  // messages quote paths and file text: their control characters are printed escaped (the progress line is ours)
  const rawStderr = out.stderr;
  out = { ...out, stderr: (s) => rawStderr(printable(s, true)), progress: rawStderr };
  // image and budgets talk to the Docker engine and have their own options too
  if (argv[0] === 'image' || argv[0] === 'budgets') return dockerMain(argv, out, version);
  // smoke starts a compose stack and has its own options
  if (argv[0] === 'smoke') return smokeMain(argv.slice(1), out);
  if (argv[0] === 'init') return initMain(argv.slice(1), out);
  // scan has its own options; it is dispatched before the lint options are parsed
  if (argv[0] === 'scan') return scanMain(argv.slice(1), out, { version, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'fail-level': { type: 'string' },
        config: { type: 'string' },
        fix: { type: 'boolean' },
        stdin: { type: 'boolean' },
        'stdin-filename': { type: 'string' },
        'enable-all': { type: 'boolean' },
        'no-shellcheck': { type: 'boolean' },
        preset: { type: 'string' },
        baseline: { type: 'string' },
        reset: { type: 'boolean' },
        'changes-since': { type: 'string' },
        exclude: { type: 'string', multiple: true },
        'changed-since': { type: 'string' },
        'max-file-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) { out.stdout(`${version}\n`); return 0; }
  const [command, ...paths] = positionals;
  if (values.help || !command) { (command || values.help ? out.stdout : out.stderr)(USAGE); return values.help ? 0 : 2; }
  try {
    if (command === 'rules') return rulesCommand(values, out);
    if (command === 'lint') return await lintCommand(paths, values, out, readStdin, values.baseline ? await baselineFilter(values.baseline) : undefined);
    if (command === 'exceptions') return await exceptionsCommand(paths, values, out);
    if (command === 'baseline') {
      if (values.stdin || values.fix) throw new UsageError('baseline takes paths, not --stdin or --fix');
      return await baselineCommand(values, out, (hook) => lintCommand(paths, { ...values, format: 'text' }, out, readStdin, hook));
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (e) {
    if (e instanceof BaselineError) { out.stderr(`hullcheck: ${e.message}\n`); return 2; }
    if (e instanceof UsageError || e instanceof RulesUsageError || e instanceof ExceptionsUsageError) { out.stderr(`hullcheck: ${e.message}\n\n${USAGE}`); return 2; }
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }
}

interface LintFlags {
  format?: string; 'fail-level'?: string; config?: string; fix?: boolean;
  stdin?: boolean; 'stdin-filename'?: string; 'enable-all'?: boolean; 'no-shellcheck'?: boolean; 'max-file-size'?: string;
  exclude?: string[]; 'changed-since'?: string;
}

async function lintCommand(paths: string[], flags: LintFlags, out: Out, readStdin: (maxBytes: number) => Promise<string>, hook?: LintHook): Promise<number> {
  const format = flags.format ?? 'text';
  if (!isLintFormat(format)) throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')}, got '${format}'`);
  const failLevel = flags['fail-level'] ?? 'warning';
  if (!FAIL_LEVELS.includes(failLevel)) throw new UsageError(`--fail-level must be one of ${FAIL_LEVELS.join(', ')}, got '${failLevel}'`);
  if (flags['stdin-filename'] && !flags.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (flags.stdin && paths.length) throw new UsageError('give either --stdin or paths, not both');
  if (flags.stdin && flags['changed-since']) throw new UsageError('give either --stdin or --changed-since, not both');

  const sizeText = flags['max-file-size'] ?? process.env.HULLCHECK_MAX_FILE_SIZE;
  const maxBytes = sizeText === undefined ? READ_LIMITS.dockerfile : parseByteSize(sizeText);
  const sizeFrom = flags['max-file-size'] !== undefined ? '--max-file-size' : 'HULLCHECK_MAX_FILE_SIZE';
  if (typeof maxBytes === 'string') throw new UsageError(`${sizeFrom}: ${maxBytes}`);
  // configuration and ignore files are read once for the run (a created .dockerignore clears them, below)
  const disk = runHost(cappedHost(maxBytes));
  const reads = new ConfigReadCache(disk.host, () => false, () => 0);
  const host = reads.host;
  // one run cache: each folder's project scope and configuration are loaded once, however many files it holds
  // a rule that fails is one internal-error finding; its stack goes to stderr
  const log = (m: string) => out.stderr(`hullcheck: ${m}\n`);
  const opts = { host, explicitConfig: flags.config, enableAll: flags['enable-all'], runCache: newRunCache(), log };
  const findings: FileFinding[] = [];
  const seenConfigProblems = new Set<string>();
  let ioError = false;
  let count = 0;
  /** Files whose fixes could not be written (each is left as it was on disk). */
  const notWritten: string[] = [];
  /** Each file's fail level (its .hadolint.yaml may set one); config problems use the flag or the default. */
  const levels = new Map<string, string>();
  const pending: [string, string, Promise<Awaited<ReturnType<typeof lintFile>>>][] = [];
  const sc = await cliShellcheck(flags['no-shellcheck'], (m) => out.stderr(`hullcheck: ${m}\n`));

  /** Rules that failed on a file (counted before a baseline hides anything). */
  let failed = 0;
  const collect = (file: string, text: string, r: Awaited<ReturnType<typeof lintFile>>) => {
    failed += failedChecks(r.findings);
    levels.set(file, failLevelFor(flags['fail-level'], r));
    // fingerprints come from all of the file's findings, so a baseline that hides some leaves the others' unchanged
    const all = fileFindings(file, text, r.language, r.findings);
    const kept = hook ? new Set(hook.file(file, text, r.language, r.findings)) : undefined;
    findings.push(...(kept ? all.filter((_, i) => kept.has(r.findings[i])) : all));
    for (const p of r.configProblems) {
      const key = `${p.file}:${p.range.start.line}:${p.message}`;
      if (seenConfigProblems.has(key)) continue;
      seenConfigProblems.add(key);
      // the configuration's text is not at hand here: the message stands in for the anchor of its fingerprint;
      // it is named relative to the working folder, like every file the run names
      findings.push(...fileFindings(reportPath(p.file), p.message, undefined, [{ rule: CONFIG_ERROR_RULE, severity: p.severity, message: p.message, range: p.range, fixes: [] }]));
    }
  };

  if (flags.stdin) {
    const name = flags['stdin-filename'] ?? 'Dockerfile';
    // standard input has the same cap as files: a larger stream is refused, not buffered whole
    const text = await readStdin(maxBytes);
    if (Buffer.byteLength(text) > maxBytes) throw new Error(tooLargeInput(maxBytes));
    const lintText = (t: string) => lintFile(name, t, { ...opts, language: guessLanguage(name) });
    if (flags.fix) {
      const fixed = await fixUntilStable(text, async (t) => (await lintText(t)).findings);
      out.stdout(fixed.text);
      const remaining = (await lintText(fixed.text)).findings;
      if (failedChecks(remaining)) out.stderr(incompleteNote(failedChecks(remaining)));
      return exitCode(remaining, failLevel, false);
    }
    pending.push([name, text, addShellcheck(await lintText(text), sc)]);
    count = 1;
  } else {
    const { files, languages, errors, notices } = await discover(paths.length ? paths : ['.'], {
      exclude: flags.exclude, explicitConfig: flags.config, changedSince: flags['changed-since'],
    });
    for (const e of errors) { out.stderr(`hullcheck: ${e.path}: ${e.message}\n`); ioError = true; }
    for (const n of notices) out.stderr(`hullcheck: ${n}\n`);
    const progress = new Progress(files.length, { tty: Boolean(process.stderr.isTTY), write: out.progress ?? out.stderr, columns: process.stderr.columns });
    out = progress.guard(out); // messages and the report first erase the progress line
    // files are read and linted a few ahead of the one reported, so one file's reads wait while another's rules run;
    // --fix writes files (and may create ignore files that others read), so it takes one file at a time
    const first = inOrder(files.length, flags.fix ? 1 : LINT_AHEAD, async (i) => {
      const read = await host.read(files[i], readKindOf(languages.get(files[i])));
      return { read, result: read.ok ? await lintFile(files[i], read.text, { ...opts, language: languages.get(files[i]) }) : undefined };
    });
    for (const [i, file] of files.entries()) {
      progress.tick(file);
      const { read, result } = await first(i);
      if (!read.ok && read.reason === 'missing') { out.stderr(`hullcheck: ${file}: no such file\n`); ioError = true; continue; }
      if (!read.ok) {
        // a file named on the command line or found by the walk that cannot be read: one finding, never a hang
        const hint = read.reason === 'too-large' ? ' Raise the limit with --max-file-size.' : '';
        const notice: Finding = { rule: FILE_NOT_READ_RULE, severity: 'warning', message: `Hullcheck did not lint this file: ${read.message}.${hint}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [] };
        findings.push(...fileFindings(file, '', languages.get(file), [notice]));
        count++;
        continue;
      }
      const text = read.text;
      let r = result!;
      let current = text;
      if (flags.fix) {
        const fixed = await fixUntilStable(text, async (t) => (await lintFile(file, t, { ...opts, language: r.language })).findings);
        if (fixed.text !== text) {
          try {
            await writeFileAtomic(file, fixed.text, { expected: text });
            current = fixed.text;
          } catch (e) {
            // the findings reported are those of what is on disk: the untouched original, or someone else's edit
            notWritten.push(file);
            ioError = true;
            out.stderr(`hullcheck: ${file}: fixes not written (${(e as Error).message}); reporting the file as it is on disk\n`);
            const onDisk = await host.read(file, readKindOf(r.language));
            if (!onDisk.ok) continue;
            current = onDisk.text;
          }
          r = await lintFile(file, current, { ...opts, language: r.language });
        }
        if (await createFiles(r.findings, out)) {
          reads.clear();
          disk.clear();
          r = await lintFile(file, current, { ...opts, language: r.language });
        }
      }
      // ShellCheck runs in batches across files, so its results are gathered after the loop
      pending.push([file, current, addShellcheck(r, sc)]);
      count++;
    }
  }

  sc?.release(); // every file's scripts are queued: run the last batches
  for (const [file, text, result] of pending) collect(file, text, await result);
  if (notWritten.length) out.stderr(`hullcheck: ${notWritten.length} file${notWritten.length === 1 ? ' was' : 's were'} not written: ${notWritten.join(', ')}\n`);
  const rendered = renderLint(format, findings, { filesLinted: count, version, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
  // ShellCheck judged every script only when it ran, was found and failed on none: otherwise SC findings are unknown
  const shellcheckJudged = !!sc && !!(await sc.binary()) && sc.failed === 0;
  out.stdout(hook ? hook.finish(format, rendered, out, { shellcheck: shellcheckJudged }) : rendered);
  await sc?.dispose();
  if (sc?.failed) {
    out.stderr(`hullcheck: ShellCheck could not check ${sc.failed} RUN script${sc.failed === 1 ? '' : 's'}; the result is incomplete (exit ${EXIT_INTERNAL})\n`);
    return EXIT_INTERNAL;
  }
  if (failed) { out.stderr(incompleteNote(failed)); return EXIT_INTERNAL; }
  return exitCode(findings, failLevel, ioError, (file) => levels.get(file) ?? failLevel);
}

/** How many files are read and linted ahead of the one being reported. */
const LINT_AHEAD = 16;

/**
 * `task(i)` for each index, started at most `window` indexes ahead of the one asked for, so the answers can be
 * consumed in order while later ones are under way.
 */
function inOrder<T>(count: number, window: number, task: (i: number) => Promise<T>): (i: number) => Promise<T> {
  const started: Promise<T>[] = [];
  return (i) => {
    while (started.length < Math.min(count, i + window)) {
      const p = task(started.length);
      p.catch(() => undefined); // a failure surfaces when its index is asked for, not as an unhandled rejection
      started.push(p);
    }
    return started[i];
  };
}

/** Safe fixes that create a missing file (a .dockerignore): write each file once, never over an existing one. */
async function createFiles(findings: Finding[], out: Out): Promise<boolean> {
  let created = false;
  for (const f of findings) {
    const c = f.fixes.find((x) => x.safety === 'safe' && x.createFile)?.createFile;
    if (!c) continue;
    try {
      await writeFileAtomic(c.path, c.text, { createOnly: true });
      out.stderr(`hullcheck: created ${reportPath(c.path)}\n`);
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') out.stderr(`hullcheck: cannot create ${reportPath(c.path)}: ${(e as Error).message}\n`);
    }
  }
  return created;
}

/** Standard input is linted by its --stdin-filename: a YAML name as compose, any other unknown name as a Dockerfile. */
function guessLanguage(file: string): Language {
  const byName = languageByName(file);
  return byName === 'yaml' ? 'compose' : byName ?? 'dockerfile';
}

function exitCode(findings: Finding[], failLevel: string, ioError: boolean, levelOf?: (file: string) => string): number {
  if (failedChecks(findings)) return EXIT_INTERNAL;
  if (ioError) return 2;
  if (levelOf) return fails(findings as FileFinding[], levelOf) ? 1 : 0;
  return findings.some((f) => reachesFailLevel(f.severity, failLevel)) ? 1 : 0;
}

function tooLargeInput(maxBytes: number): string {
  return `standard input is larger than ${maxBytes} bytes; raise the limit with --max-file-size`;
}

/** Reads a stream up to maxBytes; one byte more and it stops reading and rejects. */
async function readAll(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    size += b.length;
    if (size > maxBytes) throw new Error(tooLargeInput(maxBytes));
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  // a reader that stops early (`hullcheck rules | head`) closes the pipe: the rest of the output is not wanted
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
  });
  const stdout = (s: string) => { if (!stdoutClosed) process.stdout.write(s); };
  main(process.argv.slice(2), { stdout, stderr: (s) => process.stderr.write(s) }, (max) => readAll(process.stdin, max))
    .then((code) => { process.exitCode = code; })
    .catch((e) => { process.stderr.write(`hullcheck: ${(e as Error).stack ?? e}\n`); process.exitCode = EXIT_INTERNAL; });
}
