// syntax-error: instructions Docker cannot parse (unknown keywords, missing arguments, unknown flags, unterminated
// heredocs, broken exec-form JSON). Reported per instruction; every other instruction is still linted.

import type { DockerfileRule } from '../context';
import type { Range } from '../../core/findings';
import { heredocsOf as sharedHeredocs, type Instr, type ParsedDockerfile } from '../../parse/dockerfile';
import { continuationRe } from '../../parse/args';

const KNOWN = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** Flags each instruction accepts in current BuildKit (labs flags included, since they parse). */
const FLAGS: Record<string, Set<string>> = {
  FROM: new Set(['platform']),
  RUN: new Set(['mount', 'network', 'security', 'device']),
  COPY: new Set(['from', 'chown', 'chmod', 'link', 'parents', 'exclude']),
  ADD: new Set(['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'unpack', 'exclude']),
  HEALTHCHECK: new Set(['interval', 'timeout', 'start-period', 'start-interval', 'retries']),
};

/** Minimum argument count; CMD and ENTRYPOINT may legitimately be empty. */
const MIN_ARGS: Record<string, number> = {
  FROM: 1, RUN: 1, COPY: 2, ADD: 2, ENV: 1, LABEL: 1, ARG: 1, EXPOSE: 1, USER: 1, WORKDIR: 1, VOLUME: 1,
  STOPSIGNAL: 1, MAINTAINER: 1, SHELL: 1, HEALTHCHECK: 1, ONBUILD: 1,
};
const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);
const NOT_IN_ONBUILD = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

interface HeredocNode { getName(): string; getDelimiterRange(): Range | null }

const rule: DockerfileRule = {
  meta: {
    id: 'syntax-error',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Fix instructions Docker cannot parse',
    severity: 'error',
    errorReason: 'The builder cannot parse the file, so the build fails.',
    fix: 'none',
    hadolint: ['DL1000'],
    docs: {
      rationale:
        'A Dockerfile with an unknown instruction, a FROM without an image, an unknown flag or an unterminated ' +
        'heredoc fails before anything is built. Reporting each broken instruction where it is, while the rest of ' +
        'the file is still checked, gets the file building again quickly.',
      invalid: 'FROM alpine:3.20\nFROBNICATE /tmp\nCOPY --frobnicate a /b\n',
      valid: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\nCOPY --link --chmod=755 <<EOF /usr/local/bin/hello\n#!/bin/sh\necho hello\nEOF\n',
      notes:
        'Current BuildKit syntax is accepted: `RUN --mount/--network/--security/--device`, `COPY --link/--parents/' +
        '--exclude/--chmod/--chown`, `ADD --checksum/--keep-git-dir/--unpack`, heredocs and parser directives. An ' +
        'exec form that is not valid JSON (`CMD ["a", b]`) is reported too: Docker does not reject it but runs the ' +
        'text through a shell, which is never what such a line means. Also reported: instructions other than ARG ' +
        'before the first FROM, `ENV` without a value, and ONBUILD wrapping FROM, MAINTAINER or ONBUILD.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    let seenFrom = false;
    const report = (range: Range, message: string) => ctx.report({ range, message });
    for (const instr of p.instructions) {
      if (instr.keyword === 'FROM') seenFrom = true;
      else if (!seenFrom && KNOWN.has(instr.keyword) && instr.keyword !== 'ARG') {
        ctx.report({ range: instr.keywordRange, message: `${instr.keyword} appears before the first FROM; only ARG may come before it.` });
      }
      checkInstr(p, instr, report);
      if (instr.keyword === 'ONBUILD' && instr.onbuild) {
        if (NOT_IN_ONBUILD.has(instr.onbuild.keyword)) {
          ctx.report({ range: instr.onbuild.keywordRange, message: `ONBUILD cannot wrap ${instr.onbuild.keyword}.` });
        } else checkInstr(p, instr.onbuild, report);
      }
    }
  },
};

function checkInstr(p: ParsedDockerfile, instr: Instr, report: (range: Range, message: string) => void): void {
  const kw = instr.keyword;
  if (!KNOWN.has(kw)) {
    const written = p.text.slice(p.index.offsetAt(instr.keywordRange.start), p.index.offsetAt(instr.keywordRange.end));
    report(instr.keywordRange, `Unknown instruction '${written}'; check the spelling or the line continuation above it.`);
    return;
  }
  const allowed = FLAGS[kw];
  for (const f of instr.flags) {
    if (!allowed?.has(f.name.toLowerCase())) report(f.nameRange ?? f.range, `${kw} does not accept the flag --${f.name}.`);
  }
  const heredocs = heredocsOf(instr);
  for (const h of heredocs) {
    if (!h.getDelimiterRange()) report(instr.keywordRange, `The heredoc <<${h.getName()} is never terminated; end it with a line '${h.getName()}'.`);
  }
  const n = instr.args.length;
  const min = MIN_ARGS[kw] ?? 0;
  const isCopy = kw === 'COPY' || kw === 'ADD';
  if (n < min && !(isCopy && (heredocs.length > 0 || instr.jsonArgs))) {
    report(instr.keywordRange, `${kw} requires ${min === 1 ? 'an argument' : `at least ${min} arguments`}.`);
    return;
  }
  if (kw === 'FROM' && n !== 1 && !(n === 3 && instr.args[1].value.toLowerCase() === 'as')) {
    report(instr.range, 'FROM takes an image, optionally followed by `AS <name>`.');
  }
  if (kw === 'ENV') {
    const props = (instr.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null; getAssignmentOperator(): string | null }[] }).getProperties?.() ?? [];
    for (const prop of props) {
      if (prop.getValue() === null && prop.getAssignmentOperator() === null) report(instr.range, `ENV ${prop.getName()} has no value; write ENV ${prop.getName()}=<value>.`);
    }
  }
  if (JSON_CAPABLE.has(kw) && !instr.jsonArgs) {
    // only a text that starts with `[` (or with a line continuation, which the join removes) can look like exec form
    const lead = instr.argsText.trimStart()[0];
    const joined = lead === '[' || lead === p.escapeChar ? instr.argsText.replace(continuationRe(p.escapeChar), ' ').trim() : '';
    if (joined.startsWith('[') && joined.endsWith(']') && (/^\[["']/.test(joined) || joined.includes(','))) {
      report(instr.args[0]?.range ?? instr.range, `${kw} looks like exec form but is not a valid JSON array (use double quotes around every item); Docker would run it as a shell command.`);
    }
    if (kw === 'SHELL') report(instr.range, 'SHELL requires the exec form, a JSON array such as ["/bin/sh", "-c"].');
  }
}

function heredocsOf(instr: Instr): HeredocNode[] {
  return sharedHeredocs(instr) as HeredocNode[];
}

export default rule;
