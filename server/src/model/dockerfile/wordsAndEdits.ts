// Locating words and instructions in a Dockerfile (ranges, offsets, program names, subcommands, stage chains) and
// building the edits and fixes that change them; shared by the rules, the image history and the model.

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { programArgs, programName, type Command, type Word } from '../../parse/shell';
import type { Fix, Range, TextEdit } from '../../core/findings';
import { valueOptions } from './programOptions';
import { modelOf } from './model';

/** The LSP range of a span of document offsets. */
export function offsetRange(parsed: ParsedDockerfile, start: number, end: number): Range {
  return { start: parsed.index.positionAt(start), end: parsed.index.positionAt(end) };
}

export function wordRange(parsed: ParsedDockerfile, w: Word): Range {
  return offsetRange(parsed, w.start, w.end);
}

/** An edit that inserts text at a document offset. */
export function insertAt(parsed: ParsedDockerfile, offset: number, text: string): TextEdit {
  const p = parsed.index.positionAt(offset);
  return { range: { start: p, end: p }, newText: text };
}

export function replaceSpan(parsed: ParsedDockerfile, start: number, end: number, text: string): TextEdit {
  return { range: offsetRange(parsed, start, end), newText: text };
}

export function fix(title: string, safety: 'safe' | 'unsafe', ...edits: TextEdit[]): Fix {
  return { title, safety, edits };
}

/** Every shell command of the RUN instructions in the file (ONBUILD RUN included), with its instruction. */
export function* runCommands(parsed: ParsedDockerfile): Generator<{ instr: Instr; cmd: Command; index: number; all: Command[] }> {
  for (const { instr, commands: all } of modelOf(parsed).runs) {
    for (let index = 0; index < all.length; index++) yield { instr, cmd: all[index], index, all };
  }
}

/** Commands of a program (`apt-get`, `pip`, …) with their subcommand (first non-flag argument). */
export function isProgram(cmd: Command, ...names: string[]): boolean {
  return names.includes(programName(cmd));
}

export function subcommand(cmd: Command): Word | undefined {
  // many rules ask for the subcommand of the same command: computed once (null when there is none)
  if (cmd.subcommand === undefined) cmd.subcommand = findSubcommand(cmd) ?? null;
  return cmd.subcommand ?? undefined;
}

function findSubcommand(cmd: Command): Word | undefined {
  const name = programName(cmd);
  const takesValue = valueOptions(name);
  const args = programArgs(cmd);
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (!v.startsWith('-')) return args[i];
    if (takesValue.includes(v)) i++;
  }
  return undefined;
}

/** The indentation used by continuation lines of an instruction, to keep fixes in the file's style. */
export function continuationIndent(parsed: ParsedDockerfile, instr: Instr): string {
  if (instr.range.end.line > instr.range.start.line) {
    const m = /^[ \t]*/.exec(parsed.index.lineText(instr.range.start.line + 1));
    if (m && m[0]) return m[0];
  }
  return '    ';
}

/** The text of a whole line's start offset (column 0) for an instruction, to insert lines before it. */
export function lineStartOffset(parsed: ParsedDockerfile, line: number): number {
  return parsed.index.starts[Math.min(line, parsed.index.lineCount - 1)];
}

/** Offset just after the last character of an instruction (before its line break). */
export function instrEndOffset(instr: Instr): number {
  return instr.endOffset;
}

/**
 * Whether a Dockerfile builds a development container (it sits in a `.devcontainer` folder): an editor's working
 * environment, which needs build tools, runs no service and is never published.
 */
export function isDevContainerFile(file: string): boolean {
  return file.replace(/\\/g, '/').split('/').includes('.devcontainer');
}
