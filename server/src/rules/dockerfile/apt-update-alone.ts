// apt-update-alone: `apt-get update` in a RUN of its own caches stale package lists in a separate layer.

import type { DockerfileRule } from '../context';
import type { Fix } from '../../core/findings';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { programArgs, programName, type Command } from '../../parse/shell';
import { aptSub, hasHeredoc, isAptInstall, isExecForm } from '../../model/dockerfile/packages';
import { fix, insertAt, lineStartOffset, replaceSpan, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';
import { type RunInfo } from '../../model/dockerfile/runs';

/** apt subcommands that read the package lists, so an update in the same RUN is not alone. */
const USES_LISTS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'download', 'source', 'reinstall', 'satisfy', 'safe-upgrade']);

/** Whether a command installs OS packages through apt itself, or may: Playwright's browser dependencies, a script. */
function installsItself(cmd: Command): boolean {
  const words = [programName(cmd) ?? '', ...programArgs(cmd).map((w) => w.value)];
  const at = words.findIndex((w) => w === 'playwright' || w.endsWith('/playwright'));
  if (at >= 0 && (words[at + 1] === 'install-deps' || (words[at + 1] === 'install' && words.includes('--with-deps')))) return true;
  const prog = words[0];
  // `./setup.sh`, `/opt/install`, `bash scripts/deps.sh`
  return /\.(?:sh|bash)$/.test(prog) || prog.startsWith('./') || ((prog === 'bash' || prog === 'sh') && /^[^-]/.test(words[1] ?? '-'));
}

function flagsText(run: RunInfo): string {
  return run.instr.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
}

/** Merge a RUN that is only `apt-get update` into the next RUN of the stage that installs with apt. */
function mergeFix(parsed: ParsedDockerfile, lone: RunInfo, all: readonly RunInfo[]): Fix | undefined {
  if (lone.onbuild || !lone.stage || isExecForm(lone.instr) || hasHeredoc(lone.instr) || lone.commands.length !== 1) return undefined;
  const target = all.find((r) => !r.onbuild && r.stage === lone.stage && r.outer.startOffset > lone.outer.startOffset && r.commands.some(isAptInstall));
  if (!target || isExecForm(target.instr) || hasHeredoc(target.instr)) return undefined;
  // moving the update under other mounts or network settings could change what it sees
  if (lone.instr.flags.length > 0 && flagsText(lone) !== flagsText(target)) return undefined;
  const upd = lone.commands[0];
  const removeLone = replaceSpan(parsed, lineStartOffset(parsed, lone.outer.range.start.line), lineStartOffset(parsed, lone.outer.range.end.line + 1), '');
  const firstTarget = target.commands[0];
  const alreadyUpdates = target.commands.some((c, i) => aptSub(c)?.value === 'update' && target.commands.slice(i + 1).some(isAptInstall));
  const edits = [removeLone];
  if (!alreadyUpdates) edits.push(insertAt(parsed, firstTarget.start, `${parsed.text.slice(upd.start, upd.end)} && `));
  return fix(`Merge into the RUN on line ${target.outer.range.start.line + 1}`, 'unsafe', ...edits);
}

const rule: DockerfileRule = {
  meta: {
    id: 'apt-update-alone',
    language: 'dockerfile',
    category: 'caching',
    title: 'Run apt-get update in the same RUN as apt-get install',
    severity: 'warning',
    fix: 'unsafe',
    docs: {
      rationale:
        'A RUN that only runs `apt-get update` becomes a cached layer of its own. Later builds reuse that layer, ' +
        'so a changed `apt-get install` line below it installs from old package lists: packages may be outdated or ' +
        'fail to download. The layer also ships the lists. Update and install in one RUN, then remove the lists.',
      invalid:
        'FROM debian:bookworm-slim\nRUN apt-get update\n' +
        'RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      valid:
        'FROM debian:bookworm-slim\n' +
        'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      notes:
        'A RUN is fine when, besides the update, it runs an apt command that uses the lists (install, upgrade, ' +
        'dist-upgrade, build-dep, download, source…) or any `apt-cache` command, and when a later command installs with apt itself (`playwright install --with-deps`, `playwright install-deps`) or runs a script, which may. The unsafe fix deletes a RUN that ' +
        'holds nothing but the update and puts the update in front of the next RUN of the same stage that installs ' +
        'with apt (or only deletes it when that RUN already updates first). There is no fix when no such RUN follows, ' +
        'when either RUN is in exec form, a heredoc or under ONBUILD, or when the lone RUN has flags (such as ' +
        '`--mount`) that differ from the target\'s.',
    },
  },
  check(ctx) {
    const all = modelOf(ctx.parsed).runs;
    for (const run of all) {
      const cmds = run.commands;
      const updateCmd = cmds.find((c) => aptSub(c)?.value === 'update');
      if (!updateCmd) continue;
      const update = aptSub(updateCmd)!;
      if (cmds.some((c) => programName(c) === 'apt-cache' || USES_LISTS.has(aptSub(c)?.value ?? ''))) continue;
      // a later command that installs with apt itself (`playwright install --with-deps`) or runs a script, which may
      // install: the update is not known to be alone
      if (cmds.some((c) => c !== updateCmd && installsItself(c))) continue;
      const merge = mergeFix(ctx.parsed, run, all);
      ctx.report({
        range: wordRange(ctx.parsed, update),
        message: `\`${programName(updateCmd)} update\` runs in a RUN without an install, so its cached layer goes stale; update and install in the same RUN.`,
        fixes: merge ? [merge] : [],
      });
    }
  },
};

export default rule;
