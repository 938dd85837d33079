// Which programs the POSIX RUN scripts of a document call, listed once per parse: rules about one package
// manager or tool check this first and skip the walk over every command when their program never appears.

import type { ParsedDockerfile } from '../parse/dockerfile';
import { progOf } from '../model/dockerfile/runScripts';
import { modelOf } from '../model/dockerfile/model';

// a plain array scanned with === is cheaper here than a Set: hashing every freshly sliced name costs more
// than the few comparisons each rule makes
const MEMO = new WeakMap<ParsedDockerfile, string[]>();

function runPrograms(parsed: ParsedDockerfile): string[] {
  let names = MEMO.get(parsed);
  if (!names) {
    names = [];
    for (const { instr } of modelOf(parsed).posixRuns) for (const cmd of instr.commands()) names.push(progOf(cmd));
    MEMO.set(parsed, names);
  }
  return names;
}

/** Whether some command of a POSIX RUN runs one of these programs (basename, wrappers skipped, as progOf). */
export function runsProgram(parsed: ParsedDockerfile, ...names: string[]): boolean {
  for (const p of runPrograms(parsed)) for (const n of names) if (p === n) return true;
  return false;
}
