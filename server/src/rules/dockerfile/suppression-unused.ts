// suppression-unused: inline ignores (hullcheck, hadolint, BuildKit `# check=skip=`) that suppress nothing, so dead
// exceptions do not pile up. The engine records what each ignore suppressed and runs this rule after all others.

import type { DockerfileRule } from '../context';
import type { Fix, Range } from '../../core/findings';
import type { InlineException } from '../../model/suppressionLedger';
import type { LineIndex } from '../../core/text';

/**
 * The fix: drop the comment line when every id is unused, else only the unused ids from the list. A hadolint
 * ignore may still be needed by hadolint where its checks differ (DL3059 on every RUN of a group run-consecutive
 * reports once), so removing it is offered but never applied by `lint --fix`.
 */
export function removeUnused(index: LineIndex, x: InlineException): Fix | undefined {
  const safety = x.tool === 'hadolint' ? 'unsafe' : 'safe';
  const line = x.range.start.line;
  const text = index.lineText(line);
  const keep = x.ids.filter((id) => !x.unused.includes(id));
  if (keep.length === 0) {
    // a check directive with other options (error=, experimental=) keeps them: no fix for it
    if (x.tool === 'check' && (text.slice(x.list.end).trim() !== '' || text.slice(text.indexOf('=') + 1, x.list.start).toLowerCase().replace('skip', '').replace('=', '').trim() !== '')) return undefined;
    const range: Range = line + 1 < index.lineCount
      ? { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }
      : { start: { line, character: 0 }, end: { line, character: text.length } };
    return { title: 'Remove this ignore, which suppresses nothing', safety, edits: [{ range, newText: '' }] };
  }
  const sep = text.slice(x.list.start, x.list.end).includes(', ') ? ', ' : ',';
  return {
    title: `Remove ${x.unused.map((u) => `\`${u}\``).join(', ')} from this ignore`,
    safety,
    edits: [{ range: { start: { line, character: x.list.start }, end: { line, character: x.list.end } }, newText: keep.join(sep) }],
  };
}

const rule: DockerfileRule = {
  meta: {
    id: 'suppression-unused',
    language: 'dockerfile',
    alsoLanguages: ['compose'],
    category: 'style',
    title: 'Remove ignores that suppress nothing',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'An ignore comment outlives the finding it was written for: the instruction is fixed or rewritten, and the ' +
        'comment stays, silently waiving the check for whatever comes next. Reporting ignores that suppress ' +
        'nothing keeps the list of exceptions honest and short.',
      invalid: 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache\nRUN apk add --no-cache curl\n',
      valid: 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache -- the cache is pruned in a later stage\nRUN apk add curl\n',
      notes:
        'Covers `# hullcheck ignore=` (also `global` and `stage`), `# hadolint ignore=` and BuildKit\'s ' +
        '`# check=skip=` (the file\'s directive and an instruction\'s own check comment) in Dockerfiles, and `# hullcheck ignore=` in compose files. A name is reported only when ' +
        'the rule it names ran on the file and reported nothing the comment covers; names of rules that are off ' +
        '(by preset, `rules:` or `.hadolint.yaml`) and ShellCheck `SC` codes (ShellCheck runs separately and may ' +
        'not be installed) are never reported. `# hadolint ignore=` comments are reported at info: hadolint itself ' +
        'may still need them where its checks differ, so their fix is offered in the editor but not applied by ' +
        '`lint --fix`. The fix removes the comment, or only the unused names from a list. Expired ignores are reported by `suppression-expired` instead.',
    },
  },
  check(ctx) {
    const index = (ctx.parsed as { index: LineIndex }).index;
    for (const x of ctx.inlineExceptions ?? []) {
      if (x.status !== 'active' || x.unused.length === 0) continue;
      const names = x.unused.map((u) => `\`${u}\``).join(', ');
      const all = x.unused.length === x.ids.length;
      const what = x.tool === 'check' ? 'This check directive skips' : 'This ignore names';
      const message = all
        ? `${what} ${names}, which reports nothing ${x.scope === 'next' ? 'on the line it covers' : 'in this file'}; remove it.`
        : `${names} in this ${x.tool === 'check' ? 'check directive' : 'ignore'} suppress${x.unused.length === 1 ? 'es' : ''} nothing; remove ${x.unused.length === 1 ? 'it' : 'them'} from the list.`;
      const fix = removeUnused(index, x);
      ctx.report({
        range: x.range,
        message: x.tool === 'hadolint' ? `${message} Keep it if hadolint itself still needs it.` : message,
        severity: x.tool === 'hadolint' ? 'info' : undefined,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

export default rule;
