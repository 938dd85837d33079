// The one parse of a Dockerfile per document version: dockerfile-ast's tree plus a stage model,
// comments, parser directives and lazily tokenized RUN scripts. Rules read this; they never parse.

import { ModifiableInstruction } from 'dockerfile-ast';
import type { Dockerfile, Instruction, Flag, From, Comment, Heredoc } from 'dockerfile-ast';
import { heredocRun } from './heredocRun';
import { LineIndex } from '../core/text';
import type { Range } from '../core/findings';
import { mapScript, shiftCommands, tokenizeShell, type Command, type MappedText } from './shell';
import { continuationRe, HEREDOC_KEYWORDS, parseJsonArray, splitArgs } from './args';
import { parseAst } from './astParser';
import { argumentDonors, keptArguments } from './astMemo';
import { PLATFORM_SAMPLE, expandWord } from './expansion';

export interface DfFlag { name: string; value: string | null; range: Range; nameRange: Range; valueRange: Range | null }
export interface DfArg { value: string; range: Range }

export interface Instr {
  /** Upper-cased keyword as written (unknown instructions included). */
  keyword: string;
  node: Instruction;
  range: Range;
  /** Range of the keyword itself. */
  keywordRange: Range;
  startOffset: number;
  endOffset: number;
  /** The stage the instruction belongs to; undefined before the first FROM. */
  stage: Stage | undefined;
  flags: DfFlag[];
  /** Arguments after flags, as dockerfile-ast splits them (whitespace separated, escapes joined). */
  args: DfArg[];
  /** Raw text of the arguments (after flags), continuations included. */
  argsText: string;
  /** Exec (JSON array) form for RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME. */
  jsonArgs: string[] | null;
  /** For ONBUILD: the instruction it wraps. */
  onbuild?: Instr;
  flag(name: string): DfFlag | undefined;
  /** Commands of the shell script (RUN, CMD/ENTRYPOINT/HEALTHCHECK shell form); memoized. */
  commands(): Command[];
  /** For a RUN that opens a heredoc: who reads its body, and the body's document offsets (read with commands()). */
  heredocScript(): HeredocScript | undefined;
}

/** The heredoc of a RUN in document offsets: `start` is where the body's first line begins, `end` where it stops. */
export interface HeredocScript { shellBody: boolean; interpreter?: string; command: string; start: number; end: number }

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as BuildKit compares it. */
  name?: string;
  nameRange?: Range;
  from: Instr;
  /** The image reference as written (may hold ${VARS}). */
  image: string;
  imageRange?: Range;
  /** The earlier stage this one builds on (`FROM builder`), if any. */
  parent?: Stage;
  instructions: Instr[];
}

export interface DfComment { text: string; line: number; range: Range }

export interface ParsedDockerfile {
  text: string;
  index: LineIndex;
  ast: Dockerfile;
  instructions: Instr[];
  stages: Stage[];
  /** ARGs before the first FROM. */
  globalArgs: Instr[];
  comments: DfComment[];
  directives: Map<string, { value: string; range: Range }>;
  escapeChar: string;
  finalStage: Stage | undefined;
  /** The instruction that covers a line, if any. */
  instructionAt(line: number): Instr | undefined;
  stageByName(name: string): Stage | undefined;
}

const EXEC_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);
/** Instructions whose shell form may open heredocs. */

/**
 * Parse a Dockerfile. `previous`, the parse of an earlier version of the same document, lends the argument splits and
 * the scripts split into commands it already made to the instructions written exactly the same way in this version
 * (an unchanged instruction is not scanned or shell-parsed again while another line is edited).
 */
export function parseDockerfile(text: string, previous?: ParsedDockerfile): ParsedDockerfile {
  const ast = parseAst(text, previous && argumentDonors(previous.instructions, previous.text, previous.escapeChar));
  const index = new LineIndex(text);
  const escapeChar = ast.getEscapeCharacter();
  const donors = previous && previous.escapeChar === escapeChar ? scriptDonors(previous) : undefined;
  const stages: Stage[] = [];
  const instructions: Instr[] = [];
  const globalArgs: Instr[] = [];
  const byLine: (Instr | undefined)[] = new Array(index.lineCount);
  // the first stage of each name (a map: files with thousands of stages must not scan them per FROM)
  const byName = new Map<string, Stage>();
  let globalValues: Map<string, string> | undefined;

  for (const node of ast.getInstructions()) {
    const instr = makeInstr(node, text, index, escapeChar, donors);
    const keyword = instr.keyword;
    if (keyword === 'FROM') {
      const from = node as From;
      const stageName = from.getBuildStage();
      const stage: Stage = {
        index: stages.length,
        name: stageName ? stageName.toLowerCase() : undefined,
        nameRange: from.getBuildStageRange() ?? undefined,
        from: instr,
        image: from.getImage() ?? '',
        imageRange: from.getImageRange() ?? undefined,
        instructions: [],
      };
      const parentName = (from.getImage() ?? '').toLowerCase();
      // `FROM ${BASE}` names an earlier stage when BASE's global default does, as BuildKit expands it
      // the global ARGs are all known at the first FROM: their values are worked out once
      stage.parent = byName.get(parentName) ?? (parentName.includes('$') ? byName.get(expandFrom(from.getImage() ?? '', globalValues ??= globalArgValues(globalArgs))) : undefined);
      stages.push(stage);
      if (stage.name !== undefined && !byName.has(stage.name)) byName.set(stage.name, stage);
    }
    const current = stages[stages.length - 1];
    instr.stage = current;
    if (current) current.instructions.push(instr);
    else if (keyword === 'ARG') globalArgs.push(instr);
    instructions.push(instr);
    for (let l = instr.range.start.line; l <= instr.range.end.line && l < byLine.length; l++) byLine[l] = instr;
  }

  const comments: DfComment[] = ast.getComments().map((c: Comment) => ({
    text: c.getContent(),
    line: c.getRange().start.line,
    range: c.getRange(),
  }));
  const directives = new Map<string, { value: string; range: Range }>();
  for (const d of ast.getDirectives()) directives.set(d.getName().toLowerCase(), { value: d.getValue(), range: d.getRange() });

  return {
    text, index, ast, instructions, stages, globalArgs, comments, directives, escapeChar,
    finalStage: stages[stages.length - 1],
    instructionAt: (line) => byLine[line],
    stageByName: (name) => byName.get(name.toLowerCase()),
  };
}

/**
 * A FROM image name expanded with the global ARG defaults (and the platform args' stand-in values), lower-cased: what
 * a build without --build-arg looks the name up as.
 */
function expandFrom(image: string, values: ReadonlyMap<string, string>): string {
  return expandWord(image, values as Map<string, string>).result.toLowerCase();
}

/** The global ARG defaults (and the platform args' stand-in values), each expanded with the ones before it. */
function globalArgValues(globalArgs: Instr[]): Map<string, string> {
  const values = new Map<string, string>(Object.entries(PLATFORM_SAMPLE));
  for (const instr of globalArgs) {
    const props = (instr.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
    for (const p of props) {
      const v = p.getValue();
      if (v !== null) values.set(p.getName(), expandWord(v, values).result);
    }
  }
  return values;
}

/**
 * An instruction with its flags, arguments and script computed on first use: most rules look at the
 * keyword only, and dockerfile-ast's argument splitting is a large part of the parse cost.
 */
class LazyInstr implements Instr {
  readonly keyword: string;
  readonly range: Range;
  readonly startOffset: number;
  readonly endOffset: number;
  stage: Stage | undefined = undefined;
  onbuild?: Instr;
  /** The same script's commands in an earlier version of the document, used instead of splitting it again. */
  donor?: ScriptDonor;
  private _flags?: DfFlag[];
  private _args?: DfArg[];
  private _argsText?: string;
  private _json?: string[] | null;
  private _commands?: Command[];
  private _heredocScript?: HeredocScript;
  private _heredocs?: Heredoc[];

  constructor(readonly node: Instruction, private readonly text: string, private readonly index: LineIndex, private readonly escapeChar: string) {
    this.range = node.getRange();
    this.keyword = node.getKeyword().toUpperCase();
    this.startOffset = index.offsetAt(this.range.start);
    this.endOffset = index.offsetAt(this.range.end);
  }
  get keywordRange(): Range { return this.node.getInstructionRange(); }
  get flags(): DfFlag[] {
    if (!this._flags) {
      const n = this.node as unknown as { getFlags?: () => Flag[] };
      const raw: Flag[] = typeof n.getFlags === 'function' ? n.getFlags() : [];
      this._flags = raw.map((f) => ({
        name: f.getName(), value: f.getValue(), range: f.getRange(), nameRange: f.getNameRange(), valueRange: f.getValueRange(),
      }));
    }
    return this._flags;
  }
  get args(): DfArg[] {
    if (!this._args) {
      // the parse already split most instructions (kept by astMemo); else split from the text as dockerfile-ast does
      // (its getArguments re-scans and re-validates on every call)
      const kept = keptArguments(this.node);
      let args: DfArg[] = kept
        ? kept.map((a) => ({ value: a.getValue(), range: a.getRange() }))
        : splitArgs(this.index, this.index.offsetAt(this.keywordRange.end), this.endOffset, this.escapeChar);
      if (this.node instanceof ModifiableInstruction) {
        const flagCount = this.node.getFlags().length;
        if (flagCount > 0) args = args.slice(flagCount);
      }
      this._args = args;
    }
    return this._args;
  }
  get argsText(): string {
    if (this._argsText === undefined) {
      const args = this.args;
      const argsStart = args.length > 0 ? this.index.offsetAt(args[0].range.start) : this.endOffset;
      this._argsText = this.text.slice(argsStart, this.endOffset);
    }
    return this._argsText;
  }
  get jsonArgs(): string[] | null {
    if (this._json === undefined) {
      // the keyword first: only exec-form keywords need the argument text
      this._json = EXEC_FORM.has(this.keyword) && this.argsText.trimStart().startsWith('[')
        ? parseJsonArray(joinContinuations(this.argsText, this.escapeChar)) : null;
    }
    return this._json;
  }
  flag(name: string): DfFlag | undefined {
    return this.flags.find((f) => f.name.toLowerCase() === name);
  }
  commands(): Command[] {
    if (this._commands === undefined) {
      const donor = this.donor;
      this.donor = undefined;
      if (donor) {
        // the same script in an earlier version: its commands, moved to where the instruction now starts
        const delta = this.startOffset - donor.start;
        this._commands = delta === 0 ? donor.commands : shiftCommands(donor.commands, delta);
        this._heredocScript = donor.heredoc && (delta === 0 ? donor.heredoc : { ...donor.heredoc, start: donor.heredoc.start + delta, end: donor.heredoc.end + delta });
      } else {
        const script = scriptCommands(this, this.text, this.escapeChar);
        this._commands = script.commands;
        this._heredocScript = script.heredoc;
      }
    }
    return this._commands;
  }
  /** The script's commands if they were split already (a later version may reuse them). */
  splitScript(): { commands: Command[]; heredoc: HeredocScript | undefined } | undefined {
    return this._commands === undefined ? undefined : { commands: this._commands, heredoc: this._heredocScript };
  }
  heredocScript(): HeredocScript | undefined {
    this.commands();
    return this._heredocScript;
  }
  heredocs(): Heredoc[] {
    if (this._heredocs === undefined) {
      const node = this.node as unknown as { getHeredocs?: () => Heredoc[] };
      // a heredoc needs `<<` in the instruction's text: skip dockerfile-ast's argument scan when there is no `<`
      // and, as in BuildKit, an exec-form array never opens one (`RUN ["sh", "-c", "cat <<EOF"]`)
      this._heredocs = typeof node.getHeredocs === 'function' && hasChar(this.text, this.startOffset, this.endOffset, 60)
        && !isExecHeredocForm(this.onbuild ?? this) ? safeHeredocs(node as { getHeredocs(): Heredoc[] }) : [];
    }
    return this._heredocs;
  }
}

/**
 * dockerfile-ast's heredoc scan, which throws on some bodies (an escape character that starts a body line, such as
 * `\!EOF`, makes it look past its last heredoc); such an instruction is treated as having none it could read.
 */
function safeHeredocs(node: { getHeredocs(): Heredoc[] }): Heredoc[] {
  try { return node.getHeredocs(); } catch { return []; }
}

/** RUN, COPY or ADD in exec form, which never opens a heredoc. */
function isExecHeredocForm(instr: Instr): boolean {
  return HEREDOC_KEYWORDS.has(instr.keyword) && instr.jsonArgs !== null;
}

/** Whether text[from, to) holds the character code. */
function hasChar(text: string, from: number, to: number, code: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return true;
  return false;
}

/** dockerfile-ast's heredocs of an instruction (computed once per instruction and shared by the rules). */
export function heredocsOf(instr: Instr): Heredoc[] {
  if (instr instanceof LazyInstr) return instr.heredocs();
  const node = instr.node as unknown as { getHeredocs?: () => Heredoc[] };
  return typeof node.getHeredocs === 'function' ? safeHeredocs(node as { getHeredocs(): Heredoc[] }) : [];
}

function makeInstr(node: Instruction, text: string, index: LineIndex, escapeChar: string, donors?: Map<string, ScriptDonor>): Instr {
  const instr = new LazyInstr(node, text, index, escapeChar);
  if (donors && SCRIPT_KEYWORDS.has(instr.keyword)) instr.donor = donors.get(scriptKey(instr.keyword, text, instr.startOffset, instr.endOffset));
  if (instr.keyword === 'ONBUILD') {
    const trigger = (node as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
    if (trigger) instr.onbuild = makeInstr(trigger, text, index, escapeChar, donors);
  }
  return instr;
}

/** An earlier version's commands of one script instruction, and where that instruction started. */
interface ScriptDonor { start: number; commands: Command[]; heredoc: HeredocScript | undefined }

/**
 * What a script instruction's commands depend on: its keyword and text, plus the two characters after it (the line
 * end that the continuation scan looks at).
 */
function scriptKey(keyword: string, text: string, start: number, end: number): string {
  return `${keyword}\0${text.slice(start, end + 2)}`;
}

/** The scripts an earlier parse split (only those: the rest of that parse is not kept), by what they depend on. */
function scriptDonors(previous: ParsedDockerfile): Map<string, ScriptDonor> {
  const out = new Map<string, ScriptDonor>();
  const add = (instr: Instr) => {
    const done = instr instanceof LazyInstr ? instr.splitScript() : undefined;
    if (done) out.set(scriptKey(instr.keyword, previous.text, instr.startOffset, instr.endOffset), { start: instr.startOffset, ...done });
    if (instr.onbuild) add(instr.onbuild);
  };
  for (const instr of previous.instructions) add(instr);
  return out;
}

function joinContinuations(s: string, escapeChar: string): string {
  return s.replace(continuationRe(escapeChar), '');
}

/** Instructions whose arguments are a shell script. */
const SCRIPT_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/**
 * Build the shell script of an instruction with an offset map: line continuations are removed,
 * comment lines inside continuations skipped, and a `RUN <<EOF` heredoc body becomes the script.
 */
function scriptCommands(instr: Instr, text: string, escapeChar: string): { commands: Command[]; heredoc?: HeredocScript } {
  const kw = instr.keyword;
  if (!SCRIPT_KEYWORDS.has(kw)) return { commands: [] };
  if (instr.jsonArgs) {
    // exec form: one command whose words are the array items (offsets point at the whole array)
    const s = instr.args.length ? instr.args[0] : undefined;
    const start = s ? instr.endOffset - instr.argsText.length : instr.startOffset;
    return { commands: [{
      words: instr.jsonArgs.map((v) => ({ value: v, raw: JSON.stringify(v), start, end: instr.endOffset, quoted: true })),
      sep: '', prevSep: '', depth: 0, start, end: instr.endOffset,
    }] };
  }
  let from = instr.endOffset - instr.argsText.length;
  if (kw === 'HEALTHCHECK') {
    // only the part after CMD
    const m = /(^|\s)CMD\s/i.exec(instr.argsText);
    if (!m) return { commands: [] };
    from += m.index + m[0].length;
  }
  const mapped = mapScript(text, from, instr.endOffset, escapeChar);
  const heredoc = kw === 'RUN' ? heredocRun(mapped) : undefined;
  if (heredoc) {
    // the opening line is a command of its own (`bash <<EOF`, `<<EOF python3`), with the heredoc word blanked
    const { opener, openerEnd, firstLineEnd } = heredoc;
    const line = sub(mapped, 0, firstLineEnd);
    const headCmds = tokenizeShell({ ...line, text: line.text.slice(0, opener) + ' '.repeat(openerEnd - opener) + line.text.slice(openerEnd) });
    const script: HeredocScript = {
      shellBody: heredoc.shellBody, interpreter: heredoc.interpreter, command: heredoc.command,
      start: mapped.offsets[heredoc.bodyStart], end: mapped.offsets[heredoc.bodyEnd],
    };
    if (!heredoc.shellBody) return { commands: headCmds, heredoc: script };
    return { commands: [...headCmds, ...tokenizeShell(sub(mapped, heredoc.bodyStart, heredoc.bodyEnd))], heredoc: script };
  }
  return { commands: tokenizeShell(mapped) };
}

function sub(m: MappedText, a: number, b: number): MappedText {
  return { text: m.text.slice(a, b), offsets: m.offsets.slice(a, b + 1) };
}
