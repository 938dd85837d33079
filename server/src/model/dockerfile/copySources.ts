// The sources of COPY and ADD instructions, with ranges: shell and JSON forms, heredoc bodies left out,
// and the kinds of source (build context, URL, git, heredoc) told apart for the context-related rules.

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import type { Range } from '../../core/findings';
import { offsetRange } from './wordsAndEdits';
import { isRootSource } from './imageViews';

export interface CopySource {
  value: string;
  range: Range;
  /** Where the files come from. */
  kind: 'context' | 'stage' | 'url' | 'git' | 'heredoc';
  /** Contains `*`, `?` or `[`: matches several paths. */
  glob: boolean;
  /** Contains `$`: depends on ARG/ENV values. */
  variable: boolean;
}

export interface CopyInstr {
  /** The COPY/ADD itself (the wrapped one for ONBUILD). */
  instr: Instr;
  /** The instruction as it appears in the file (ONBUILD for wrapped ones). */
  outer: Instr;
  onbuild: boolean;
  sources: CopySource[];
  /** The destination as written, if any. */
  dest?: string;
}

function kindOf(instr: Instr, value: string): CopySource['kind'] {
  if (value.startsWith('<<')) return 'heredoc';
  if (instr.flag('from')) return 'stage';
  if (instr.keyword === 'ADD') {
    if (/^(https?|ftp):\/\//i.test(value)) return 'url';
    if (/^git@|^git:\/\/|\.git(#|$)/i.test(value)) return 'git';
  }
  return 'context';
}

/** Sources of one COPY/ADD (everything but the destination). */
export function sourcesOf(parsed: ParsedDockerfile, instr: Instr): CopySource[] {
  const make = (value: string, range: Range): CopySource => ({
    value, range, kind: kindOf(instr, value), glob: /[*?[]/.test(value), variable: value.includes('$'),
  });
  if (instr.jsonArgs) {
    const argsStart = instr.endOffset - instr.argsText.length;
    const out: CopySource[] = [];
    let cursor = 0;
    for (const value of instr.jsonArgs.slice(0, -1)) {
      // locate the quoted item in the text to point at it; fall back to the whole array
      const quoted = JSON.stringify(value);
      const at = instr.argsText.indexOf(quoted, cursor);
      if (at >= 0) {
        cursor = at + quoted.length;
        out.push(make(value, offsetRange(parsed, argsStart + at + 1, argsStart + at + quoted.length - 1)));
      } else {
        out.push(make(value, offsetRange(parsed, argsStart, instr.endOffset)));
      }
    }
    return out;
  }
  return argsOf(instr).slice(0, -1).map((a) => make(a.value, a.range));
}

/** Shell-form arguments without heredoc bodies, which follow the line that opens them and are file contents. */
function argsOf(instr: Instr): Instr['args'] {
  const heredoc = instr.args.find((a) => a.value.startsWith('<<'));
  if (!heredoc) return instr.args;
  const line = heredoc.range.start.line;
  return instr.args.filter((a) => a.range.start.line <= line);
}

/** The destination of a COPY/ADD as written. */
export function destinationOf(instr: Instr): string | undefined {
  if (instr.jsonArgs) return instr.jsonArgs.length > 1 ? instr.jsonArgs[instr.jsonArgs.length - 1] : undefined;
  const args = argsOf(instr);
  return args.length > 1 ? args[args.length - 1].value : undefined;
}

/** Every COPY and ADD in the file, ONBUILD ones included (flagged as such). */
export function copyInstructions(parsed: ParsedDockerfile): CopyInstr[] {
  const out: CopyInstr[] = [];
  for (const outer of parsed.instructions) {
    const onbuild = outer.keyword === 'ONBUILD';
    const instr = onbuild ? outer.onbuild : outer;
    if (!instr || (instr.keyword !== 'COPY' && instr.keyword !== 'ADD')) continue;
    out.push({ instr, outer, onbuild, sources: sourcesOf(parsed, instr), dest: destinationOf(instr) });
  }
  return out;
}

/** A source that names the whole build context: `.`, `./`, `*`, `./*`, `/`, `/*`, `/.` (as a whole-root COPY --from does). */
export function isWholeContext(value: string): boolean {
  return isRootSource(value.trim());
}
