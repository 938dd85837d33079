// A small POSIX-shell tokenizer for RUN scripts: splits a script into simple commands and words,
// keeping each word's offsets in the Dockerfile so rules can point at (and fix) exact spots.
// It does not evaluate anything; quotes are removed from `value`, variables stay literal.

export interface Word {
  /** The word with quotes and escapes removed; `$VAR` and `$(...)` kept literally. */
  value: string;
  /** The word as written. */
  raw: string;
  /** Document offsets (end exclusive). */
  start: number;
  end: number;
  /** True when any part of the word was quoted. */
  quoted: boolean;
}

export interface Command {
  words: Word[];
  /** The operator that ended this command: '&&', '||', ';', '|', '&', '\n' or '' at the end. */
  sep: string;
  /** The operator that came before this command ('' for the first). */
  prevSep: string;
  /** How many subshells `( … )` enclose the command (0 at the top level of the script). */
  depth: number;
  start: number;
  end: number;
  /** Memos of programIndex(), programName() and programArgs(), set on first use (rules ask for them many times). */
  programIndex?: number;
  programName?: string;
  programArgs?: Word[];
  /** Memo of the rules' subcommand() helper (null: none). */
  subcommand?: Word | null;
}

/** A script plus, for each character, its offset in the original document. */
export interface MappedText {
  text: string;
  offsets: number[]; // length text.length + 1
}

/** The shell operator starting at i (&&, ||, ;;, |&, ;, |, &, (, ), newline), longest first, or ''. */
function operatorAt(text: string, i: number): string {
  const c = text[i];
  const d = text[i + 1];
  switch (c) {
    case '&': return d === '&' ? '&&' : '&';
    case '|': return d === '|' ? '||' : d === '&' ? '|&' : '|';
    case ';': return d === ';' ? ';;' : ';';
    case '(': case ')': case '\n': return c;
    default: return '';
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/** Tokenize a mapped script into commands. Never throws: unterminated quotes end at the script end. */
export function tokenizeShell(src: MappedText): Command[] {
  const { text, offsets } = src;
  const commands: Command[] = [];
  let words: Word[] = [];
  let prevSep = '';
  let depth = 0;
  let i = 0;
  const n = text.length;
  const flush = (sep: string) => {
    if (words.length > 0) {
      commands.push({ words, sep, prevSep, depth, start: words[0].start, end: words[words.length - 1].end });
      prevSep = sep;
    } else if (sep !== '\n' && sep !== '(' && sep !== ')') {
      prevSep = sep;
    }
    words = [];
  };
  // `case WORD in` … `esac`: how many are open, and whether a pattern list (`dev|beta)`) comes next, whose
  // `|` and `)` are part of the pattern, not a pipe or a subshell end
  let openCases = 0;
  let expectPattern = false;
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) { i++; continue; }
    if (c === '#') {
      // comment to end of line
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (expectPattern && c !== '\n') {
      expectPattern = false;
      if (!/^esac(?![^\s;&|()])/.test(text.slice(i, i + 5))) { i = skipCasePattern(text, i); continue; }
      openCases--;
    }
    const op = operatorAt(text, i);
    if (op) {
      if (op === ';;' && openCases > 0) expectPattern = true;
      flush(op === ';;' ? ';' : op === '|&' ? '|' : op);
      // a `(` where a command starts opens a subshell; the command before a `)` still belonged to it
      if (op === '(') depth++;
      else if (op === ')' && depth > 0) depth--;
      i += op.length;
      continue;
    }
    // a word
    const startIdx = i;
    let value = '';
    let quoted = false;
    // text[seg, i) is plain word text, appended in one slice when a quote, escape or expansion (or the end) comes
    let seg = i;
    while (i < n) {
      const ch = text[i];
      if (isSpace(ch) || ch === '\n') break;
      if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
        break;
      }
      if (ch !== '\\' && ch !== "'" && ch !== '"' && ch !== '`' && !(ch === '$' && (text[i + 1] === '(' || text[i + 1] === '{'))) {
        i++;
        continue;
      }
      if (i > seg) value += text.slice(seg, i);
      if (ch === '\\') {
        if (i + 1 < n) { value += text[i + 1]; i += 2; } else { i++; }
      } else if (ch === "'") {
        quoted = true;
        const close = text.indexOf("'", i + 1);
        const end = close < 0 ? n : close;
        value += text.slice(i + 1, end);
        i = close < 0 ? n : close + 1;
      } else if (ch === '"') {
        quoted = true;
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) { value += text[i + 1]; i += 2; continue; }
          if (text[i] === '$' && text[i + 1] === '(') { const e = skipBalanced(text, i + 1, '(', ')'); value += text.slice(i, e); i = e; continue; }
          value += text[i++];
        }
        i++;
      } else if (ch === '$') {
        const open = text[i + 1];
        const e = skipBalanced(text, i + 1, open, open === '(' ? ')' : '}');
        value += text.slice(i, e);
        i = e;
      } else {
        // a backtick command substitution
        const close = text.indexOf('`', i + 1);
        const e = close < 0 ? n : close + 1;
        value += text.slice(i, e);
        i = e;
      }
      seg = i;
    }
    if (i > seg) value += text.slice(seg, i);
    if (i === startIdx) { i++; continue; } // defensive: never loop forever
    // end just past the word's last character: offsets[i] belongs to the next mapped character, which can sit
    // further on when the map skipped text in between (the CR of a CRLF, a line continuation)
    words.push({ value, raw: text.slice(startIdx, i), start: offsets[startIdx], end: offsets[i - 1] + 1, quoted });
    if (words.length === 3 && words[0].value === 'case' && value === 'in' && !quoted && !words[0].quoted) {
      // the patterns follow: end the `case X in` command here
      openCases++;
      expectPattern = true;
      flush('\n');
    }
  }
  flush('');
  return commands;
}

/** Index just past the `)` that ends a case pattern list starting at i (`dev|beta)`, `(a|b)`), quotes honoured. */
function skipCasePattern(text: string, i: number): number {
  if (text[i] === '(') i++;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === "'" || c === '"') { const e = text.indexOf(c, i + 1); if (e < 0) return text.length; i = e; continue; }
    if (c === ')') return i + 1;
    if (c === '\n') return i; // not a pattern after all: read on as commands
  }
  return text.length;
}

/** Index just past the bracket that closes the one at `openIdx`, honouring nesting and quotes. */
function skipBalanced(text: string, openIdx: number, open: string, close: string): number {
  let depth = 0;
  for (let i = openIdx; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === "'" && open === '(') { const e = text.indexOf("'", i + 1); if (e < 0) return text.length; i = e; continue; }
    if (c === open) depth++;
    else if (c === close) { depth--; if (depth === 0) return i + 1; }
  }
  return text.length;
}

/** The scripts of the command substitutions (`$(…)`, backticks) a word runs, outermost only, as written. */
export function commandSubstitutions(word: Word): string[] {
  const raw = word.raw, found: string[] = [];
  let inDouble = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') { i++; continue; }
    if (c === '"') { inDouble = !inDouble; continue; }
    if (c === "'" && !inDouble) { const e = raw.indexOf("'", i + 1); if (e < 0) break; i = e; continue; }
    if (c === '$' && raw[i + 1] === '(' && raw[i + 2] !== '(') {
      const e = skipBalanced(raw, i + 1, '(', ')');
      found.push(raw.slice(i + 2, e - 1));
      i = e - 1;
    } else if (c === '`') {
      const e = raw.indexOf('`', i + 1);
      if (e < 0) break;
      found.push(raw.slice(i + 1, e));
      i = e;
    }
  }
  return found;
}

/**
 * The commands that a command's substitutions run, nested ones included. Their offsets count from the start of each
 * substitution's script, not in the document: they are for asking what runs, not for pointing at it.
 */
export function substitutionCommands(cmd: Command): Command[] {
  const found: Command[] = [];
  for (const w of cmd.words) {
    for (const script of commandSubstitutions(w)) {
      const inner = tokenizeShell({ text: script, offsets: Array.from({ length: script.length + 1 }, (_, k) => k) });
      for (const c of inner) found.push(c, ...substitutionCommands(c));
    }
  }
  return found;
}

/**
 * Names that wrap another command: `sudo apt-get ...`, `env X=1 pip ...`, `time make`, and the shell keywords after
 * which a command starts (`if apt-get install -s x; then`, `while read l; do`).
 */
const WRAPPERS = new Set(['sudo', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'xargs', 'if', 'elif', 'then', 'while', 'until', 'do', 'else', '!', '{']);

/**
 * The same commands for the same script written `delta` characters further on in the document: fresh objects with
 * the offsets moved, keeping the program found in each (the other memos follow from the words and are found again).
 */
export function shiftCommands(commands: readonly Command[], delta: number): Command[] {
  return commands.map((c) => ({
    words: c.words.map((w) => ({ value: w.value, raw: w.raw, start: w.start + delta, end: w.end + delta, quoted: w.quoted })),
    sep: c.sep, prevSep: c.prevSep, depth: c.depth, start: c.start + delta, end: c.end + delta,
    programIndex: c.programIndex, programName: c.programName,
  }));
}

/**
 * The program a command runs and its arguments, skipping leading `VAR=value` assignments and wrappers
 * such as sudo or env. Returns index of the program word, or -1.
 */
export function programIndex(cmd: Command): number {
  // dozens of rules ask for the program of the same (memoized) commands: compute it once per command
  let i = cmd.programIndex;
  if (i === undefined) { i = computeProgramIndex(cmd); cmd.programIndex = i; }
  return i;
}
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function computeProgramIndex(cmd: Command): number {
  let i = 0;
  while (i < cmd.words.length) {
    const w = cmd.words[i].value;
    if (ASSIGNMENT.test(cmd.words[i].raw)) { i++; continue; }
    if (WRAPPERS.has(w)) {
      i++;
      // skip wrapper flags like `sudo -E`, `env -i`
      while (i < cmd.words.length && cmd.words[i].value.startsWith('-')) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Basename of the program, e.g. `/usr/bin/pip3` -> `pip3`. */
export function programName(cmd: Command): string {
  let name = cmd.programName;
  if (name === undefined) {
    const i = programIndex(cmd);
    const v = i < 0 ? '' : cmd.words[i].value;
    name = v.slice(v.lastIndexOf('/') + 1);
    cmd.programName = name;
  }
  return name;
}

/** The words after the program. The array is shared by every caller for this command: do not modify it. */
export function programArgs(cmd: Command): Word[] {
  let args = cmd.programArgs;
  if (args === undefined) {
    const i = programIndex(cmd);
    args = i < 0 ? [] : cmd.words.slice(i + 1);
    cmd.programArgs = args;
  }
  return args;
}

/**
 * Whether a flag is present. Long flags match `--name` and `--name=value`; a one-letter flag also
 * matches inside combined short flags such as `-yq`.
 */
export function hasFlag(args: Word[], ...names: string[]): boolean {
  for (const w of args) {
    const v = w.value;
    if (v === '--') return false;
    for (const name of names) {
      if (name.startsWith('--')) {
        if (v === name || v.startsWith(name + '=')) return true;
      } else if (name.length === 2 && name[0] === '-') {
        if (/^-[A-Za-z0-9]+$/.test(v) && v.includes(name[1])) return true;
      } else if (v === name) return true;
    }
  }
  return false;
}

/** Positional (non-flag) arguments. Flags that take a value must be listed so their values are skipped. */
export function positionals(args: Word[], flagsWithValue: readonly string[] = []): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') { out.push(...args.slice(i + 1)); break; }
    if (v.startsWith('-') && v.length > 1) {
      if (flagsWithValue.includes(v)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** Copy text[from, to) dropping escaped newlines and comment lines that follow them. */
export function mapScript(text: string, from: number, to: number, escapeChar: string): MappedText {
  let out = '';
  const offsets: number[] = [];
  let i = from;
  // text[run, i) is copied as is; it is appended in one slice when something is dropped or replaced
  let run = from;
  const flush = (end: number) => {
    if (end <= run) return;
    out += text.slice(run, end);
    for (let k = run; k < end; k++) offsets.push(k);
  };
  let afterContinuation = false;
  while (i < to) {
    if (afterContinuation) {
      // skip blank and comment lines inside a continuation, as Docker does
      let j = i;
      while (j < to && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '#' || text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) {
        if (text[j] === '#') { while (j < to && text[j] !== '\n') j++; }
        else if (text[j] === '\r') j++;
        i = j + 1;
        run = i;
        continue;
      }
      afterContinuation = false;
    }
    const c = text[i];
    if (c === escapeChar) {
      let j = i + 1;
      while (j < to && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) {
        flush(i);
        i = text[j] === '\r' ? j + 2 : j + 1;
        out += ' ';
        offsets.push(i - 1);
        run = i;
        afterContinuation = true;
        continue;
      }
      // any other escape is kept as written (a backtick escape keeps the escaped char; shell escapes stay backslashes)
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') { flush(i); i++; run = i; continue; }
    i++;
  }
  flush(Math.min(i, to));
  offsets.push(to);
  return { text: out, offsets };
}
