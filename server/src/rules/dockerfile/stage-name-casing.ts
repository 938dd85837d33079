// stage-name-casing: stage names should be lower case. BuildKit matches them case-insensitively, so a mixed-case
// name reads like an instruction keyword or an image and invites mismatched references.

import type { DockerfileRule } from '../context';
import type { TextEdit } from '../../core/findings';
import type { Instr } from '../../parse/dockerfile';
import { fix, offsetRange } from '../../model/dockerfile/wordsAndEdits';

const MOUNT_FROM = /(^|,)from=([^,\s]+)/g;

const rule: DockerfileRule = {
  meta: {
    id: 'stage-name-casing',
    language: 'dockerfile',
    category: 'style',
    title: 'Write stage names in lower case',
    severity: 'warning',
    fix: 'safe',
    buildkit: ['StageNameCasing'],
    docs: {
      rationale:
        'Stage names are compared without regard to case, so `AS Builder` and `--from=builder` name the same stage. ' +
        'Lower-case names keep them visually distinct from instruction keywords and consistent across references.',
      invalid: 'FROM golang:1.22 AS Builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=Builder /app /app\n',
      valid: 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app\n',
      notes:
        'The fix lower-cases the name and every reference to it: `FROM <stage>`, `COPY --from=<stage>` and ' +
        '`RUN --mount=from=<stage>`. Because BuildKit resolves stage names case-insensitively the build is unchanged.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const stage of p.stages) {
      if (!stage.nameRange) continue;
      const s = p.index.offsetAt(stage.nameRange.start);
      const e = p.index.offsetAt(stage.nameRange.end);
      const written = p.text.slice(s, e);
      const lower = written.toLowerCase();
      if (written === lower) continue;
      const edits: TextEdit[] = [{ range: stage.nameRange, newText: lower }];
      for (const other of p.stages) {
        if (other.index <= stage.index) continue;
        if (other.imageRange && other.image.toLowerCase() === lower && other.image !== lower) {
          edits.push({ range: other.imageRange, newText: lower });
        }
        for (const outer of other.instructions) {
          const instr = outer.onbuild ?? outer;
          referenceEdits(instr, lower, edits);
        }
      }
      ctx.report({
        range: offsetRange(p, s, e),
        message: `Stage name '${written}' should be lower case; rename it to '${lower}'.`,
        fixes: [fix(`Rename stage to '${lower}'`, 'safe', ...edits)],
      });
    }
  },
};

/** Edits that lower-case `--from=<name>` of COPY and `from=<name>` of RUN mounts. */
function referenceEdits(instr: Instr, lower: string, edits: TextEdit[]): void {
  for (const f of instr.flags) {
    if (!f.valueRange || f.value === null) continue;
    const name = f.name.toLowerCase();
    if (name === 'from' && (instr.keyword === 'COPY' || instr.keyword === 'ADD')) {
      if (f.value.toLowerCase() === lower && f.value !== lower) edits.push({ range: f.valueRange, newText: lower });
    } else if (name === 'mount' && instr.keyword === 'RUN') {
      MOUNT_FROM.lastIndex = 0;
      for (let m = MOUNT_FROM.exec(f.value); m; m = MOUNT_FROM.exec(f.value)) {
        if (m[2].toLowerCase() !== lower || m[2] === lower) continue;
        const col = f.valueRange.start.character + m.index + m[1].length + 5;
        if (f.valueRange.start.line !== f.valueRange.end.line) continue; // a wrapped value: leave it alone
        edits.push({ range: { start: { line: f.valueRange.start.line, character: col }, end: { line: f.valueRange.start.line, character: col + m[2].length } }, newText: lower });
      }
    }
  }
}

export default rule;
