// The comments that belong to each Dockerfile instruction as BuildKit groups them: the comment lines since the
// previous instruction (blank lines do not end the group, an empty `#` line starts it over), parser directives
// excluded. BuildKit reads `# check=` options and stage/argument descriptions from these groups.

import type { DfComment, ParsedDockerfile } from './dockerfile';

/** Instruction start line -> its comment group, in order (instructions without comments are absent). */
export function commentGroups(parsed: ParsedDockerfile): Map<number, DfComment[]> {
  const groups = new Map<number, DfComment[]>();
  let c = 0;
  let prevEnd = -1;
  for (const instr of parsed.instructions) {
    let group: DfComment[] = [];
    for (; c < parsed.comments.length && parsed.comments[c].line < instr.range.start.line; c++) {
      const comment = parsed.comments[c];
      if (comment.line <= prevEnd) continue; // inside the previous instruction's continuation
      if (comment.text.trim() === '') group = [];
      else group.push(comment);
    }
    if (group.length) groups.set(instr.range.start.line, group);
    prevEnd = instr.range.end.line;
  }
  return groups;
}
