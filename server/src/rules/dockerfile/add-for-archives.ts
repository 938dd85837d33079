// add-for-archives: COPY of a tarball followed by `tar -x` is what ADD does in one step and one layer.

import type { DockerfileRule } from '../context';
import type { Instr, Stage } from '../../parse/dockerfile';
import { programArgs } from '../../parse/shell';
import { progOf, rawArgs } from '../../model/dockerfile/runScripts';
import { modelOf } from '../../model/dockerfile/model';

const TARBALL = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;
const EXTRACT_SHORT = /^-?[a-zA-Z]*x[a-zA-Z]*$/;

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return p.slice(i + 1);
}

const rule: DockerfileRule = {
  meta: {
    id: 'add-for-archives',
    language: 'dockerfile',
    category: 'size',
    title: 'Use ADD to extract local archives',
    severity: 'info',
    fix: 'none',
    hadolint: ['DL3010'],
    docs: {
      rationale:
        'Copying a tarball and extracting it in a later RUN stores the archive in one layer and its contents in ' +
        'another, so the image carries the data twice. `ADD app.tar.gz /opt/` extracts local archives directly, ' +
        'in a single layer.',
      invalid: 'FROM debian:bookworm-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n',
      valid: 'FROM debian:bookworm-slim\nADD app.tar.gz /opt/\n',
      notes: 'Only archives copied from the build context and extracted with `tar` in the same stage are reported.',
    },
  },
  check(ctx) {
    // stage -> archive file name (source or destination) -> the COPY that brought it in
    const copied = new Map<Stage | undefined, Map<string, Instr>>();
    const reported = new Set<Instr>();
    // the RUNs are only needed once an archive was copied (most files copy none)
    let runs: Map<Instr, Stage | undefined> | undefined;
    const posixRunOf = () => {
      if (!runs) { runs = new Map(); for (const r of modelOf(ctx.parsed).posixRuns) if (!r.onbuild) runs.set(r.instr, r.stage); }
      return runs;
    };
    for (const instr of ctx.parsed.instructions) {
      if (instr.keyword === 'COPY' && !instr.flag('from')) {
        const words = rawArgs(instr, ctx.parsed.escapeChar);
        if (words.length < 2) continue;
        const names = copied.get(instr.stage) ?? new Map<string, Instr>();
        copied.set(instr.stage, names);
        const dest = words[words.length - 1];
        for (const src of words.slice(0, -1)) {
          if (!TARBALL.test(src)) continue;
          names.set(basename(src), instr);
          if (TARBALL.test(dest)) names.set(basename(dest), instr);
        }
        continue;
      }
      const names = copied.get(instr.stage);
      if (!names || names.size === 0) continue;
      if (!posixRunOf().has(instr)) continue;
      for (const cmd of instr.commands()) {
        if (progOf(cmd) !== 'tar') continue;
        const args = programArgs(cmd);
        const extracts = args.some((w, i) => w.value === '--extract' || w.value === '--get' || (w.value.startsWith('-') || i === 0 ? EXTRACT_SHORT.test(w.value) && !w.value.startsWith('--') : false));
        if (!extracts) continue;
        for (const w of args) {
          const copy = names.get(basename(w.value));
          if (!copy || reported.has(copy)) continue;
          reported.add(copy);
          ctx.report({ range: copy.keywordRange, message: `The archive \`${basename(w.value)}\` is copied and then extracted with tar; use ADD to extract it in one layer.` });
        }
      }
    }
  },
};

export default rule;
