// copy-over-add: ADD is for remote URLs and auto-extracted archives; plain files and folders belong in COPY.

import type { DockerfileRule } from '../context';
import { fix, replaceSpan } from '../../model/dockerfile/wordsAndEdits';
import { rawArgs } from '../../model/dockerfile/runScripts';

const ARCHIVE = /\.(tar|tar\.\w+|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|lz|lzma|z)$/i;
const REMOTE = /^(https?|git|ssh|git@)[:@/]|^[\w.-]+@[\w.-]+:/i;
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

const rule: DockerfileRule = {
  meta: {
    id: 'copy-over-add',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Use COPY instead of ADD for local files and folders',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3020'],
    docs: {
      rationale:
        '`ADD` can fetch URLs and unpack archives, which makes it do surprising things when a file happens to look ' +
        'like an archive. For plain files and folders `COPY` does the same job with no side effects, so reserve ' +
        '`ADD` for the cases that need it.',
      invalid: 'FROM alpine:3.20\nADD config.yaml /etc/app/\n',
      valid: 'FROM alpine:3.20\nCOPY config.yaml /etc/app/\nADD https://example.com/tool.tar.gz /opt/\nADD vendor.tar.gz /opt/\n',
      notes: 'The fix replaces `ADD` with `COPY`. It is offered only when no source is a URL or an archive and no ADD-only flag is used.',
    },
  },
  check(ctx) {
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.onbuild ?? outer;
      if (instr.keyword !== 'ADD') continue;
      const words = rawArgs(instr, ctx.parsed.escapeChar);
      if (words.length < 2) continue;
      const sources = words.slice(0, -1);
      if (sources.some((s) => ARCHIVE.test(s) || REMOTE.test(s) || s.includes('$'))) continue;
      if (instr.flags.some((f) => ADD_ONLY_FLAGS.has(f.name.toLowerCase()))) continue;
      const kw = instr.keywordRange;
      const start = ctx.parsed.index.offsetAt(kw.start);
      ctx.report({
        range: kw,
        message: 'ADD copies only local files here; use COPY, which has no URL or archive side effects.',
        fixes: [fix('Replace ADD with COPY', 'safe', replaceSpan(ctx.parsed, start, ctx.parsed.index.offsetAt(kw.end), 'COPY'))],
      });
    }
  },
};

export default rule;
