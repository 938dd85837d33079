// apt-lists-cleanup: a RUN that installs with apt should delete the package lists before the layer is committed.

import type { DockerfileRule } from '../context';
import { programArgs, programName, positionals, type Command, type Word } from '../../parse/shell';
import { covers, heredocEnd, isAptInstall, isExecForm, hasHeredoc, volatileTargets, aptSub } from '../../model/dockerfile/packages';
import { fix, insertAt, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { trimTrailing } from '../../core/strings';
import { modelOf } from '../../model/dockerfile/model';

const LISTS = '/var/lib/apt/lists';

function unquotedPath(p: string): string {
  return trimTrailing(p.replace(/\/\*$/, ''), '/');
}

/**
 * hadolint 2.15.1's DL3009, for hadolint mode: a RUN that runs `apt-get update` (or apt, aptitude) is clean when any
 * `rm` in it has the word `-rf` or `/var/lib/apt/lists/*`, wherever it stands; `dist-clean` and `find` do not count.
 * Returns the word to report, or undefined when the RUN is clean or updates nothing.
 */
function hadolintForgotten(cmds: Command[]): Word | undefined {
  const update = cmds.find((c) => aptSub(c)?.value === 'update');
  if (!update) return undefined;
  const cleans = (c: Command) => programName(c) === 'rm' && programArgs(c).some((w) => w.value === '-rf' || w.value === `${LISTS}/*`);
  if (cmds.some(cleans)) return undefined;
  // the install is where the lists are left behind; a RUN that only updates is reported at the update
  return aptSub(cmds.find(isAptInstall) ?? update);
}

/** `rm -r… /var/lib/apt/lists/*` (or its parent), `apt-get dist-clean`, or `find /var/lib/apt/lists … -delete`. */
function removesLists(cmd: Command): boolean {
  const name = programName(cmd);
  const args = programArgs(cmd);
  if (name === 'rm') {
    const recursive = args.some((w) => /^-[A-Za-z]*[rR]/.test(w.value) || w.value === '--recursive');
    return recursive && positionals(args).some((w) => covers(unquotedPath(w.value), LISTS) && w.value.startsWith('/var/lib/apt'));
  }
  // apt 2.7+ `apt-get dist-clean` / `distclean` deletes the lists as well as the archives
  if (['apt-get', 'apt'].includes(name) && ['dist-clean', 'distclean'].includes(positionals(args)[0]?.value ?? '')) return true;
  if (name === 'find') {
    return args.some((w) => unquotedPath(w.value) === LISTS) && args.some((w) => w.value === '-delete' || w.value === 'rm');
  }
  return false;
}

const rule: DockerfileRule = {
  meta: {
    id: 'apt-lists-cleanup',
    language: 'dockerfile',
    category: 'size',
    title: 'Remove the apt package lists in the RUN that installs',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3009'],
    docs: {
      rationale:
        '`apt-get update` downloads package lists into `/var/lib/apt/lists`, often tens of megabytes. When the RUN ' +
        'that installs packages does not delete them, they are committed into that layer for good: a later RUN ' +
        'that deletes them only hides them. End the RUN with `rm -rf /var/lib/apt/lists/*`, or keep the lists out ' +
        'of the layer with a cache mount.',
      invalid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
      valid:
        'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n' +
        '    && rm -rf /var/lib/apt/lists/*\n',
      notes:
        'Only RUNs whose layers reach the final image are checked: the final stage, the stages it builds on with ' +
        '`FROM <stage>`, and stages squashed into it with `COPY --from=<stage> / /` (followed recursively). A builder ' +
        'stage whose files are copied out piecemeal never ships its lists, so it is left alone. `ONBUILD RUN` is ' +
        'always checked because it runs in every image built from this one.\n\n' +
        'A `cache` or `tmpfs` mount on `/var/lib/apt` or `/var/lib/apt/lists` keeps the lists out of the layer and ' +
        'silences the rule, and so does `apt-get dist-clean` (apt 2.7 and later), which deletes the lists too The removal must come after the last install in the RUN. The fix appends ' +
        '` && rm -rf /var/lib/apt/lists/*` to the RUN (for a heredoc RUN, a line before the closing delimiter); ' +
        'exec-form RUNs are reported without a fix.\n\n' +
        'Option `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) follows ' +
        'hadolint DL3009 on cache mounts: a cache mount silences the rule only when it targets `/var/lib/apt/lists`, ' +
        'or when the RUN mounts caches on both `/var/lib/apt` and `/var/cache/apt` (a `/var/lib/apt` mount alone ' +
        'is reported, since apt\'s docker-clean hook may still be active). It also checks what hadolint checks: a ' +
        'RUN that runs `apt-get update` (with or without an install) and has no `rm -rf` anywhere in it; ' +
        '`apt-get dist-clean` does not count there.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    const shipped = new Set(modelOf(parsed).finalImage()?.fsStages);
    for (const run of modelOf(parsed).runs) {
      if (!run.onbuild && run.stage && !shipped.has(run.stage)) continue;
      const cmds = run.commands;
      const compat = ctx.options.hadolintCompat === true;
      let last = -1;
      cmds.forEach((c, i) => { if (isAptInstall(c)) last = i; });
      const at = compat ? hadolintForgotten(cmds) : last >= 0 && !cmds.slice(last + 1).some(removesLists) ? aptSub(cmds.find(isAptInstall)!) : undefined;
      if (!at) continue;
      const targets = volatileTargets(run.instr);
      if (compat) {
        const under = (dir: string) => targets.some((t) => t === dir || t.startsWith(dir + '/'));
        if (under(LISTS) || (under('/var/lib/apt') && under('/var/cache/apt'))) continue;
      } else if (targets.some((t) => covers(t, LISTS))) continue;
      const fixes = [];
      if (!isExecForm(run.instr)) {
        if (hasHeredoc(run.instr)) {
          const end = heredocEnd(parsed, run.instr);
          if (end) fixes.push(fix('Remove the apt lists at the end of the RUN', 'safe', insertAt(parsed, end.offset, `${end.indent}rm -rf /var/lib/apt/lists/*${parsed.index.eol}`)));
        } else {
          fixes.push(fix('Remove the apt lists at the end of the RUN', 'safe', insertAt(parsed, cmds[cmds.length - 1].end, ' && rm -rf /var/lib/apt/lists/*')));
        }
      }
      ctx.report({
        range: wordRange(parsed, at),
        message: ctx.options.hadolintCompat === true
          ? 'This RUN installs with apt but leaves the package lists in the layer; end it with `rm -rf /var/lib/apt/lists/*` or mount caches on both /var/lib/apt and /var/cache/apt.'
          : 'This RUN installs with apt but leaves the package lists in the layer; end it with `rm -rf /var/lib/apt/lists/*` or use a cache mount on /var/lib/apt.',
        fixes,
      });
    }
  },
};

export default rule;
