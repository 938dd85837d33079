// A `RUN` that opens a heredoc, read once for the tokenizer, ShellCheck and the shell rules: where its body
// is, and which program reads it. `RUN <<EOF` runs the body as the script; `RUN <<EOF bash -e` and
// `RUN bash <<EOF` feed it to that shell; `RUN <<EOF python3` or `RUN python3 <<EOF` to a program that is no shell.

import type { MappedText } from './shell';

const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;
const SHELLS = /^(?:\S*\/)?(?:sh|bash|dash|ash|zsh|ksh|mksh)$/;

export interface HeredocRun {
  /** Offsets in the mapped script of the body: after the opening line, up to the closing delimiter. */
  bodyStart: number;
  bodyEnd: number;
  /** Offsets of the heredoc word (`<<EOF`, `<<-"EOF"`) in the opening line, and of that line's end. */
  opener: number;
  openerEnd: number;
  firstLineEnd: number;
  /** The command on the opening line without the heredoc word (`bash -e`, `python3`), '' for a bare `RUN <<EOF`. */
  command: string;
  /** Whether the body is a shell script: a bare heredoc, or one fed to a POSIX-like shell. */
  shellBody: boolean;
  /** The shell that runs the body when the opening line names one (`bash -eo pipefail`), else undefined. */
  interpreter?: string;
}

/** The heredoc a RUN script opens on its first line, or undefined when it opens none. */
export function heredocRun(mapped: MappedText): HeredocRun | undefined {
  const text = mapped.text;
  if (!text.includes('<<')) return undefined;
  const firstEnd = text.indexOf('\n');
  const m = HEREDOC.exec(text);
  if (!m || firstEnd < 0 || m.index > firstEnd) return undefined;
  const bodyStart = firstEnd + 1;
  let bodyEnd = text.length;
  let at = bodyStart;
  for (const line of text.slice(bodyStart).split('\n')) {
    if ((m[1] ? line.replace(/^\t+/, '') : line).trimEnd() === m[3]) { bodyEnd = at; break; }
    at += line.length + 1;
  }
  const firstLine = text.slice(0, firstEnd);
  const command = (firstLine.slice(0, m.index) + ' ' + firstLine.slice(m.index + m[0].length)).trim().replace(/\s+/g, ' ');
  const words = command === '' ? [] : command.split(' ');
  // `env bash` and `/usr/bin/env bash` name the shell in their second word
  const program = words[0] !== undefined && /^(?:\S*\/)?env$/.test(words[0]) ? words[1] ?? '' : words[0] ?? '';
  const isShell = SHELLS.test(program);
  return { bodyStart, bodyEnd, opener: m.index, openerEnd: m.index + m[0].length, firstLineEnd: firstEnd, command, shellBody: words.length === 0 || isShell, interpreter: isShell ? command : undefined };
}
