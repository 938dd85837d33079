// run-consecutive: back-to-back single-command RUNs in a stage could be one layer.

import type { DockerfileRule, RuleContext } from '../context';
import type { TextEdit } from '../../core/findings';
import { programName, substitutionCommands } from '../../parse/shell';
import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { hasHeredoc } from '../../model/dockerfile/packages';
import { continuationIndent, fix, replaceSpan } from '../../model/dockerfile/wordsAndEdits';

function flagsKey(instr: Instr): string {
  return instr.flags.map((f) => `${f.name.toLowerCase()}=${f.value ?? ''}`).join(' ');
}

/**
 * A RUN that may join a group: shell form, no heredoc, exactly one command. RUNs that already chain
 * several commands are treated as deliberate layer boundaries, as hadolint does.
 */
function joinable(parsed: ParsedDockerfile, instr: Instr): boolean {
  if (instr.keyword !== 'RUN' || instr.jsonArgs || hasHeredoc(instr) || instr.commands().length !== 1) return false;
  // a trailing comment or operator after the command would be swallowed by the join
  return /^[\s;]*$/.test(parsed.text.slice(instr.commands()[0].end, instr.endOffset));
}

/** Edits joining `b` onto `a`: ` && \` + newline, any comment lines between them, then b's script. */
function joinEdit(parsed: ParsedDockerfile, a: Instr, b: Instr, indent: string): TextEdit {
  const eol = parsed.index.eol;
  const aCmds = a.commands();
  const aEnd = aCmds[aCmds.length - 1].end;
  const bStart = b.endOffset - b.argsText.length;
  const comments: string[] = [];
  for (let line = a.range.end.line + 1; line < b.range.start.line; line++) {
    const text = parsed.index.lineText(line);
    // comment lines stay inside the continuation, where Docker skips them; blank lines would end it
    if (text.trim().startsWith('#')) comments.push(text + eol);
  }
  return replaceSpan(parsed, aEnd, bStart, ` && ${parsed.escapeChar}${eol}${comments.join('')}${indent}`);
}

const rule: DockerfileRule = {
  meta: {
    id: 'run-consecutive',
    language: 'dockerfile',
    category: 'size',
    title: 'Merge consecutive RUN instructions',
    severity: 'info',
    fix: 'unsafe',
    hadolint: ['DL3059'],
    docs: {
      rationale:
        'Every RUN adds a layer. Several single-command RUNs in a row usually belong together: as one RUN joined ' +
        'with `&&` they make one layer, and files that a later step deletes are never committed in an earlier one.',
      invalid: 'FROM alpine:3.20\nRUN mkdir -p /app/data\nRUN chown nobody /app/data\n',
      valid: 'FROM alpine:3.20\nRUN mkdir -p /app/data \\\n    && chown nobody /app/data\n',
      notes:
        'Like hadolint DL3059, only RUNs that each hold a single command are grouped: a RUN that already chains ' +
        'commands (`a && b`, `a; b`, pipes) marks a deliberate layer boundary, and RUNs with different flags ' +
        '(`--mount`, `--network`) are never grouped. Exec-form and heredoc RUNs break a group too. Comment lines ' +
        'between the RUNs do not. One finding is reported per group, on its second RUN. The unsafe fix joins the ' +
        'whole group with ` && \\` in the file\'s line endings and continuation indentation, keeping comment lines ' +
        'inside the continuation; review it, because a failing command now stops the later ones in the same layer.\n\n' +
        'Option `hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) reports as ' +
        'hadolint DL3059 does: every RUN that directly follows a RUN with the same flags, when neither runs more than ' +
        'one program (counting those in command substitutions); each such RUN is a finding of its own.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    if (ctx.options.hadolintCompat === true) { hadolintCheck(ctx); return; }
    const groups: Instr[][] = [];
    let current: Instr[] = [];
    const close = () => { if (current.length > 1) groups.push(current); current = []; };
    for (const instr of parsed.instructions) {
      const prev = current[current.length - 1];
      if (!joinable(parsed, instr)) { close(); continue; }
      if (prev && (prev.stage !== instr.stage || flagsKey(prev) !== flagsKey(instr))) close();
      current.push(instr);
    }
    close();
    for (const group of groups) {
      const multiLine = parsed.instructions.find((i) => i.keyword === 'RUN' && i.range.end.line > i.range.start.line);
      const indent = continuationIndent(parsed, multiLine ?? group[0]);
      const edits = group.slice(1).map((b, n) => joinEdit(parsed, group[n], b, indent));
      const lines = `${group[0].range.start.line + 1}–${group[group.length - 1].range.start.line + 1}`;
      ctx.report({
        range: group[1].keywordRange,
        message: group.length === 2
          ? 'This RUN and the one before it each run a single command; join them with `&&` into one layer.'
          : `${group.length} consecutive single-command RUNs (lines ${lines}) could be one layer; join them with \`&&\`.`,
        fixes: [fix(`Merge ${group.length} RUN instructions`, 'unsafe', ...edits)],
      });
    }
  },
};

/** How many programs a RUN runs, as hadolint counts them: those in command substitutions too, bare assignments not. */
function commandCount(instr: Instr): number {
  return instr.commands().flatMap((c) => [c, ...substitutionCommands(c)]).filter((c) => programName(c) !== '').length;
}

/**
 * hadolint 2.15.1's DL3059: a RUN right after a RUN (comment lines between them do not count) with the same flags,
 * when neither runs more than one program. A reported RUN does not become the one the next RUN is compared with.
 */
function hadolintCheck(ctx: RuleContext<ParsedDockerfile>): void {
  const { parsed } = ctx;
  let prev: { instr: Instr; count: number } | undefined;
  // the RUN right before, which the fix joins onto (prev can be an earlier one)
  let before: Instr | undefined;
  for (const instr of parsed.instructions) {
    const last = before;
    before = instr.keyword === 'RUN' ? instr : undefined;
    if (instr.keyword !== 'RUN') { prev = undefined; continue; }
    const count = commandCount(instr);
    if (!prev || flagsKey(prev.instr) !== flagsKey(instr) || count > 1 || prev.count > 1) { prev = { instr, count }; continue; }
    const joins = last !== undefined && joinable(parsed, last) && joinable(parsed, instr);
    ctx.report({
      range: instr.keywordRange,
      message: 'This RUN directly follows another RUN; consider joining them with `&&` into one layer.',
      fixes: joins ? [fix('Merge the 2 RUN instructions', 'unsafe', joinEdit(parsed, last!, instr, continuationIndent(parsed, last!)))] : [],
    });
  }
}

export default rule;
