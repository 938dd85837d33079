// A parse that reuses the previous version's argument splits and scripts (parseDockerfile(text, previous)) splits
// every instruction exactly as a parse from nothing: over every corpus Dockerfile and random single-character edits (line ends, continuations,
// quotes, heredoc markers), each instruction's arguments, flags, commands and heredoc are the same, positions included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, type Instr, type ParsedDockerfile } from '../../server/src/parse/dockerfile';
import type { Command } from '../../server/src/parse/shell';
import { programName } from '../../server/src/parse/shell';
import { corpusDockerfiles } from '../bench/corpus';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const CHARS = [' ', '\n', '\r', '\\', '`', '"', "'", '$', '#', '<', '-', '[', ']', ',', 'E', 'O', 'F', '&', ';', '|', '(', ')'];

/** The commands as the tokenizer makes them (the memos rules add on first use are left out). */
function plain(commands: Command[]): unknown[] {
  return commands.map((c) => ({ words: c.words.map((w) => ({ ...w })), sep: c.sep, prevSep: c.prevSep, depth: c.depth, start: c.start, end: c.end }));
}

function scripts(parsed: ParsedDockerfile): unknown[] {
  const all: Instr[] = parsed.instructions.flatMap((i) => (i.onbuild ? [i, i.onbuild] : [i]));
  return all.map((i) => ({
    at: i.startOffset, keyword: i.keyword, commands: plain(i.commands()), heredoc: i.heredocScript(),
    args: i.args, flags: i.flags, argsText: i.argsText, json: i.jsonArgs, range: i.range,
    // dockerfile-ast's own view of the arguments (flags, variables, JSON strings) reads the kept split
    ast: i.node.getArguments().map((a) => [a.getValue(), a.getRange()]),
    variables: i.node.getVariables().map((v) => [v.getName(), v.getRange()]),
  }));
}

test('scripts reused from the previous version equal a fresh split, on every corpus Dockerfile under random edits', () => {
  const files = corpusDockerfiles();
  assert.ok(files.length > 400);
  const next = random(7);
  let reused = 0;
  for (const { file, text: original } of files) {
    let text = original;
    let previous = parseDockerfile(text);
    scripts(previous);
    for (let i = 0; i < 4; i++) {
      const at = Math.floor(next() * (text.length + 1));
      text = next() < 0.4 ? text.slice(0, Math.max(0, at - 1)) + text.slice(at) : text.slice(0, at) + CHARS[Math.floor(next() * CHARS.length)] + text.slice(at);
      const incremental = parseDockerfile(text, previous);
      reused += incremental.instructions.filter((x) => (x as { donor?: unknown }).donor).length;
      // rules ask for the program of reused commands, whose memo travels with them
      for (const x of incremental.instructions) for (const c of x.commands()) programName(c);
      assert.deepEqual(scripts(incremental), scripts(parseDockerfile(text)), `${file} after edit ${i + 1}`);
      previous = incremental;
    }
  }
  assert.ok(reused > 1000, `${reused} scripts reused`);
});
