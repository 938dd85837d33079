// Deterministic mutation of seed texts: byte flips, line duplication/deletion/swap, inserted keywords, flags,
// quotes, backslashes, heredoc markers, `${`, unicode, CRLF, BOM, NUL and truncation. A case is reproducible from
// (seed, index) alone, so a failure report names everything needed to replay it.

/** mulberry32: small, fast and good enough to drive mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The per-case seed: a hash of the run seed and the case index. */
export function caseSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export type Rand = () => number;
export const int = (r: Rand, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Fragments that stress the parsers: instruction keywords, flags, quoting, continuations, heredocs, variables. */
export const TOKENS: readonly string[] = [
  'FROM ', 'RUN ', 'COPY ', 'ADD ', 'ARG ', 'ENV ', 'LABEL ', 'USER ', 'WORKDIR ', 'EXPOSE ', 'CMD ', 'ENTRYPOINT ',
  'HEALTHCHECK ', 'HEALTHCHECK NONE', 'ONBUILD ', 'ONBUILD ONBUILD ', 'SHELL ["/bin/sh", "-c"]', 'STOPSIGNAL ', 'VOLUME ',
  'MAINTAINER ', 'AS ', ' AS build', 'FROM scratch', 'FROM --platform=$BUILDPLATFORM golang:1.22 AS b',
  '--from=', '--from=0 ', '--mount=type=cache,target=/root/.cache ', '--mount=type=secret,id=x ', '--chmod=755 ',
  '--chown=1000:1000 ', '--link ', '--network=none ', '--interval=5s ', '--platform=', '--', '-', '=',
  '"', "'", '`', '\\', '\\\n', ' \\\n  ', '\\\r\n', '<<EOF\n', '<<-EOT\n', "<<'EOF'\n", '<<"EOF" <<EOT\n', 'EOF\n', 'EOT',
  '${', '${FOO', '${FOO:-', '${FOO:+x}', '${FOO#*/}', '$', '$(', '$((1+', '`', '}', '{', '[', ']', '["', '"]', '", "',
  '&&', '||', ';', '|', '>', '2>&1', '#', '# syntax=docker/dockerfile:1', '# escape=`', '# check=skip=all',
  '# hullcheck ignore=', '# hadolint ignore=DL3008', '# hullcheck global ignore=exec-form', 'apt-get install -y ',
  'apt-get update', 'pip install ', 'npm install', 'curl -fsSL ', 'wget ', 'sudo ', 'cd ', 'chmod 777 ', 'yum install',
  ': ', '- ', '-\n', '  ', '    ', '\t', '&a ', '*a', '<<: *a', '!reset ', '!override ', '---\n', '...\n', '|\n', '>-\n',
  'services:', 'image: ', 'build:', 'ports:', '- "80:80"', 'volumes:', 'depends_on:', 'condition: service_healthy',
  'healthcheck:', 'environment:', 'env_file:', 'x-', '~', 'null', '0x', '1e400', '"\\u', '? ',
  'vulnerabilities:', 'misconfigurations:', '- id: ', 'expired_at: ', 'paths:', 'statement:', 'exp:', 'exp:2020-13-45',
  'CVE-2024-', 'AVD-DS-0001', '!', '**/', '*', '?', '[a-', '\\!', '../', '/',
  '\u00e9', '\u0301', '\u200b', '\u200f', '\u2028', '\u2029', '\u00a0', '\ud83d\udc33', '\ud800', '\udfff', '\u{10ffff}',
  '\r\n', '\r', '\n', '\n\n', '\ufeff', '\u0000', '\u0007', '\u007f', '\f', '\v',
];

export interface Mutated { text: string; ops: string[] }

const MAX_CHARS = 96 * 1024;

function lines(text: string): string[] { return text.split(/(?<=\n)/); }

type Op = (t: string, r: Rand, donor: () => string) => string;

const OPS: Record<string, Op> = {
  flip(t, r) {
    if (!t) return t;
    const i = int(r, t.length);
    const c = t.charCodeAt(i) ^ (1 << int(r, 8));
    return t.slice(0, i) + String.fromCharCode(c) + t.slice(i + 1);
  },
  randomChar(t, r) {
    const i = int(r, t.length + 1);
    return t.slice(0, i) + String.fromCharCode(int(r, 0x3000)) + t.slice(i);
  },
  token(t, r) {
    const i = int(r, t.length + 1);
    return t.slice(0, i) + pick(r, TOKENS) + t.slice(i);
  },
  tokenAtLineStart(t, r) {
    const ls = lines(t);
    const k = int(r, ls.length + 1);
    ls.splice(k, 0, pick(r, TOKENS) + pick(r, TOKENS) + '\n');
    return ls.join('');
  },
  dupLine(t, r) {
    const ls = lines(t);
    if (!ls.length) return t;
    const k = int(r, ls.length);
    ls.splice(k, 0, ls[k]);
    return ls.join('');
  },
  deleteLine(t, r) {
    const ls = lines(t);
    if (!ls.length) return t;
    ls.splice(int(r, ls.length), 1);
    return ls.join('');
  },
  swapLines(t, r) {
    const ls = lines(t);
    if (ls.length < 2) return t;
    const a = int(r, ls.length), b = int(r, ls.length);
    [ls[a], ls[b]] = [ls[b], ls[a]];
    return ls.join('');
  },
  deleteSpan(t, r) {
    const i = int(r, t.length + 1);
    return t.slice(0, i) + t.slice(Math.min(t.length, i + 1 + int(r, 64)));
  },
  repeatSpan(t, r) {
    const i = int(r, t.length + 1);
    const span = t.slice(i, i + 1 + int(r, 200));
    return t.slice(0, i) + span.repeat(1 + int(r, 8)) + t.slice(i);
  },
  truncate(t, r) { return t.slice(0, int(r, t.length + 1)); },
  crlf(t) { return t.replace(/\r?\n/g, '\r\n'); },
  loneCr(t) { return t.replace(/\r?\n/g, '\r'); },
  bom(t) { return '\ufeff' + t; },
  nul(t, r) { const i = int(r, t.length + 1); return t.slice(0, i) + '\u0000' + t.slice(i); },
  noFinalNewline(t) { return t.replace(/\r?\n$/, ''); },
  indent(t, r) { const p = pick(r, ['  ', '\t', ' \t ']); return t.replace(/^/gm, p); },
  splice(t, r, donor) {
    const d = lines(donor());
    const from = int(r, d.length + 1);
    const chunk = d.slice(from, from + 1 + int(r, 6)).join('');
    const ls = lines(t);
    ls.splice(int(r, ls.length + 1), 0, chunk);
    return ls.join('');
  },
  continuation(t, r) {
    // end a random line with a backslash (or the escape character) so the next line joins it
    const ls = lines(t);
    if (!ls.length) return t;
    const k = int(r, ls.length);
    ls[k] = ls[k].replace(/(\r?\n)?$/, (m) => pick(r, [' \\', '\\', ' `', '\\ ']) + (m || '\n'));
    return ls.join('');
  },
};

const WEIGHTS: [string, number][] = [
  ['flip', 8], ['randomChar', 4], ['token', 14], ['tokenAtLineStart', 8], ['dupLine', 6], ['deleteLine', 6],
  ['swapLines', 6], ['deleteSpan', 5], ['repeatSpan', 3], ['truncate', 4], ['crlf', 2], ['loneCr', 1], ['bom', 2],
  ['nul', 1], ['noFinalNewline', 2], ['indent', 1], ['splice', 5], ['continuation', 5],
];
const TOTAL = WEIGHTS.reduce((s, [, w]) => s + w, 0);

function chooseOp(r: Rand): string {
  let x = r() * TOTAL;
  for (const [name, w] of WEIGHTS) { x -= w; if (x < 0) return name; }
  return WEIGHTS[0][0];
}

/** Apply 1..8 mutations (fewer more often) to `text`; `donor` supplies other seeds of the same language. */
export function mutate(text: string, r: Rand, donor: () => string): Mutated {
  const n = 1 + Math.min(7, Math.floor(-Math.log(1 - r()) * 1.5));
  const ops: string[] = [];
  let t = text;
  for (let i = 0; i < n; i++) {
    const op = chooseOp(r);
    t = OPS[op](t, r, donor);
    if (t.length > MAX_CHARS) t = t.slice(0, MAX_CHARS);
    ops.push(op);
  }
  return { text: t, ops };
}
