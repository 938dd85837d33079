// exec-form: CMD and ENTRYPOINT in shell form run under `/bin/sh -c`, so the program is not PID 1 and
// never sees the SIGTERM of `docker stop`.

import { continuationRe } from '../../parse/args';
import type { DockerfileRule } from '../context';
import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { fix, replaceSpan } from '../../model/dockerfile/wordsAndEdits';
import { chainOf, instrsOf } from '../../model/dockerfile/imageViews';

/** Characters and words that need a shell to mean what they say. */
const SHELL_FEATURES = /[$`'"\\|&;<>*?~(){}[\]#!]|\n/;

/** The words of a shell-form command when it uses no shell feature at all; otherwise undefined. */
export function plainWords(p: ParsedDockerfile, instr: Instr): string[] | undefined {
  const text = instr.argsText.replace(continuationRe(p.escapeChar), ' ').trim();
  if (text === '' || SHELL_FEATURES.test(text)) return undefined;
  const words = text.split(/\s+/);
  // `VAR=value cmd` is an assignment the shell performs
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) return undefined;
  return words;
}

/** Instructions of the stage and of the stages built FROM it (where a CMD would become ENTRYPOINT arguments). */
function stageAndChildren(p: ParsedDockerfile, instr: Instr): Instr[] {
  const stage = instr.stage;
  if (!stage) return [];
  return p.stages.filter((s) => chainOf(s).includes(stage)).flatMap((s) => s.instructions);
}

/** Init processes that run as PID 1 and pass signals on to the command they start. */
const INITS = new Set(['dumb-init', 'tini', 'tini-static', 'catatonit', 'docker-init']);

/** Whether the stage's image starts through an init (exec-form `ENTRYPOINT ["tini", "--"]`, s6-overlay's `/init`). */
function underInit(instr: Instr): boolean {
  if (!instr.stage) return false;
  const entry = instrsOf(chainOf(instr.stage), 'ENTRYPOINT').pop();
  const program = entry?.jsonArgs?.[0];
  if (!program) return false;
  return INITS.has(program.slice(program.lastIndexOf('/') + 1)) || program === '/init';
}

const rule: DockerfileRule = {
  meta: {
    id: 'exec-form',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Write CMD and ENTRYPOINT in exec (JSON) form',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3025'],
    buildkit: ['JSONArgsRecommended'],
    docs: {
      rationale:
        'In shell form (`CMD node server.js`) Docker starts `/bin/sh -c "node server.js"`. The shell becomes PID 1 ' +
        'and does not forward signals, so `docker stop` waits for its timeout and then kills the program without a ' +
        'graceful shutdown. The exec form (`CMD ["node", "server.js"]`) runs the program directly.',
      invalid: 'FROM node:22-slim\nCOPY . /app\nCMD node /app/server.js\n',
      valid: 'FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
      notes:
        'The fix rewrites the command as a JSON array of its words, and is offered only when the command uses no ' +
        'shell feature: no variables, quotes, escapes, globs, `~`, redirections, pipes, `&&`/`||`/`;`, subshells or ' +
        'leading `VAR=value` assignments. Otherwise wrap it explicitly (`["sh", "-c", "…"]`, ideally with `exec` in ' +
        'front of the program) or move it into an entrypoint script. Converting an ENTRYPOINT changes how a CMD is ' +
        'used (a shell-form ENTRYPOINT ignores CMD, an exec-form one takes it as arguments), so no fix is offered ' +
        'for an ENTRYPOINT when its stage, or one built from it, sets a CMD.\n\n' +
        'Like BuildKit\'s JSONArgsRecommended, the rule stays silent in a stage whose chain changed the SHELL: shell ' +
        'form is then a deliberate choice. A shell-form CMD under an exec-form ENTRYPOINT that starts an init ' +
        '(dumb-init, tini, catatonit, docker-init, s6-overlay\'s `/init`) is not reported either: the init is PID 1 ' +
        'and forwards signals. A `[...]` that is not valid JSON is shell form to Docker and is reported. ' +
        'hadolint\'s DL3025 also reports shell-form `HEALTHCHECK CMD` and ignores SHELL; set the option ' +
        '`hadolintCompat: true` (or the top-level `hadolintCompat: true` in `.hullcheck.yaml`) for that behaviour. ' +
        'The older option name `hadolintCompatible` still works.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const compat = ctx.options.hadolintCompat === true || ctx.options.hadolintCompatible === true;
    for (const outer of p.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr) continue;
      const kw = instr.keyword;
      const isHealth = kw === 'HEALTHCHECK';
      if (kw !== 'CMD' && kw !== 'ENTRYPOINT' && !(compat && isHealth)) continue;
      if (instr.jsonArgs || instr.args.length === 0) continue;
      if (!compat && instr.stage && chainOf(instr.stage).some((s) => s.instructions.some((i) => i.keyword === 'SHELL'))) continue;

      if (isHealth) {
        const m = /(^|\s)CMD\s+/i.exec(instr.argsText);
        if (!m || instr.argsText.slice(m.index + m[0].length).trimStart().startsWith('[')) continue;
        ctx.report({ range: instr.keywordRange, message: 'HEALTHCHECK CMD is in shell form; use a JSON array if the probe needs no shell.' });
        continue;
      }
      // under an init the shell is not PID 1: the init forwards signals to the whole command
      if (!compat && kw === 'CMD' && underInit(instr)) continue;
      const bracket = instr.argsText.trimStart().startsWith('[');
      const words = bracket ? undefined : plainWords(p, instr);
      const argsStart = instr.endOffset - instr.argsText.length;
      // a CMD in this stage or a child becomes arguments of an exec-form ENTRYPOINT: not a mechanical change
      const cmdBecomesArgs = kw === 'ENTRYPOINT' && stageAndChildren(p, instr).some((i) => i.keyword === 'CMD');
      const fixes = words && instr === outer && !cmdBecomesArgs
        ? [fix(`Convert ${kw} to exec form`, 'safe', replaceSpan(p, argsStart, instr.endOffset, JSON.stringify(words).replace(/","/g, '", "')))]
        : [];
      const message = bracket
        ? `${kw} looks like exec form but is not valid JSON, so Docker runs it through /bin/sh; use double quotes inside the brackets.`
        : !words
          ? `${kw} in shell form runs under /bin/sh, which does not pass signals to the program; use an exec-form array such as ["sh", "-c", "exec …"] or an entrypoint script.`
          : cmdBecomesArgs
            ? 'ENTRYPOINT in shell form runs under /bin/sh and ignores CMD; in exec form the CMD becomes its arguments, so convert both together.'
            : `${kw} in shell form runs under /bin/sh, which does not pass signals to the program; use the exec form.`;
      ctx.report({ range: instr.range, message, fixes });
    }
  },
};

export default rule;
