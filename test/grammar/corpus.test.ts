// Runs the grammars over the real-world corpus (/work/shared/corpus) and checks structural invariants
// against an independent line scanner: every instruction line starts at top level (nothing left open
// above it), heredoc bodies are in the heredoc scope, and no line after a closed heredoc stays in it.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, hasScope, realShellGrammarPath, tokenize, type ShellMode, type Tokenized } from './tokenize';

const INSTRUCTION = /^\s*(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)(\s|$)/i;
const HEREDOC = /(?<!<)<<(-?)(["']?)([A-Za-z0-9_][\w.-]*)\2/g;

function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, keep) : keep(p) ? [p] : [];
  }).sort();
}

const dockerfiles = [
  ...filesUnder(path.join(CORPUS, 'dockerfiles'), () => true),
  ...filesUnder(path.join(CORPUS, 'tale', 'services'), (f) => path.basename(f) === 'Dockerfile'),
];

interface Stats { files: number; instructions: number; heredocBodies: number; afterHeredoc: number }

/** Line roles per an independent reading of the file: instruction start, heredoc body/end, other. */
function checkDockerfile(file: string, t: Tokenized, stats: Stats): void {
  const where = (i: number) => `${path.relative(CORPUS, file)}:${i + 1}\n${t.describeLine(i)}`;
  const esc = /^\s*#\s*escape\s*=\s*`\s*$/i.test(t.lines[0] ?? '') ? '`' : '\\';
  const continues = (l: string) => new RegExp(`\\${esc}[ \\t]*$`).test(l);
  const pending: { name: string; dash: boolean }[] = [];
  let continued = false;
  let keyword = '';
  let justClosed = false;
  for (let i = 0; i < t.lines.length; i++) {
    const line = t.lines[i];
    if (pending.length) {
      const d = pending[0];
      const body = d.dash ? line.replace(/^\t+/, '') : line;
      if (body === d.name) {
        assert.ok(hasScope(t.scopesAt(i, line.indexOf(d.name)), 'keyword.control.heredoc-token'), `heredoc end not recognised\n${where(i)}`);
        pending.shift();
        justClosed = pending.length === 0;
      } else if (line.length > 0) {
        assert.ok(hasScope(t.lineScopes(i), 'meta.heredoc'), `heredoc body line outside the heredoc scope\n${where(i)}`);
        stats.heredocBodies++;
      }
      continue;
    }
    const isComment = /^\s*#/.test(line);
    const isBlank = line.trim() === '';
    if (!continued && !isComment && !isBlank) {
      const m = INSTRUCTION.exec(line);
      if (m) {
        stats.instructions++;
        keyword = m[1].toUpperCase();
        const first = t.tokens[i].find((x) => x.text.trim() !== '');
        assert.ok(first && hasScope(first.scopes, 'keyword.other.instruction'), `instruction keyword not at top level\n${where(i)}`);
        const open = first.scopes.filter((s) => /^(meta\.heredoc|meta\.command|meta\.exec-form|string|comment|meta\.embedded)/.test(s));
        assert.deepEqual(open, [], `instruction line starts inside another construct\n${where(i)}`);
      }
    }
    if (justClosed) {
      stats.afterHeredoc++;
      justClosed = false;
    }
    const opens = !isComment && /^(RUN|COPY|ADD|ONBUILD)$/.test(keyword) ? [...line.matchAll(HEREDOC)] : [];
    if (!opens.length) {
      assert.ok(!hasScope(t.lineScopes(i), 'meta.heredoc'), `line outside any heredoc carries the heredoc scope\n${where(i)}`);
    }
    for (const h of opens) pending.push({ name: h[3], dash: h[1] === '-' });
    // comment and blank lines inside a continued instruction keep it going
    continued = continues(line) || (continued && (isComment || isBlank));
  }
  assert.equal(pending.length, 0, `${file}: unterminated heredoc per the scanner`);
}

const modes: { mode: ShellMode; skip: boolean }[] = [
  { mode: 'stub', skip: false },
  { mode: 'real', skip: !realShellGrammarPath() },
];

describe('corpus Dockerfiles', { skip: dockerfiles.length === 0 && 'corpus not present' }, () => {
  for (const { mode, skip } of modes) {
    test(`${dockerfiles.length} files tokenize with consistent structure (${mode} shell grammar)`, { skip: skip && 'VS Code shell grammar not found' }, async () => {
      const stats: Stats = { files: 0, instructions: 0, heredocBodies: 0, afterHeredoc: 0 };
      for (const file of dockerfiles) {
        const t = await tokenize('dockerfile', fs.readFileSync(file, 'utf8'), mode);
        checkDockerfile(file, t, stats);
        stats.files++;
      }
      // the corpus really exercises what is checked
      assert.ok(stats.files > 100 && stats.instructions > 1000, JSON.stringify(stats));
      assert.ok(stats.heredocBodies > 20 && stats.afterHeredoc > 10, JSON.stringify(stats));
    });
  }

  test('heredoc files from the corpus end every heredoc (spot check)', async () => {
    const withHeredoc = dockerfiles.filter((f) => /^(RUN|COPY|ADD)\b.*<<-?["']?\w/m.test(fs.readFileSync(f, 'utf8')));
    assert.ok(withHeredoc.length >= 10, `only ${withHeredoc.length} heredoc files`);
    for (const file of withHeredoc) {
      const t = await tokenize('dockerfile', fs.readFileSync(file, 'utf8'));
      const last = t.lines.length - 1;
      assert.ok(!hasScope(t.lineScopes(last), 'meta.heredoc'), `${file}: still in a heredoc at the end`);
    }
  });
});

describe('corpus ignore files', () => {
  const ignores = [
    ...filesUnder(path.join(CORPUS, 'dockerignore'), () => true),
    ...filesUnder(path.join(CORPUS, 'tale'), (f) => /\.dockerignore$/.test(f)),
  ];
  test(`${ignores.length} .dockerignore files: comments and patterns`, { skip: ignores.length === 0 && 'corpus not present' }, async () => {
    let patterns = 0;
    for (const file of ignores) {
      const t = await tokenize('dockerignore', fs.readFileSync(file, 'utf8'));
      t.lines.forEach((l, i) => {
        const trimmed = l.trim();
        if (!trimmed) return;
        const want = trimmed.startsWith('#') ? 'comment.line.number-sign' : 'meta.pattern';
        assert.ok(hasScope(t.scopesAt(i, l.indexOf(trimmed[0])), want), `${file}:${i + 1}\n${t.describeLine(i)}`);
        if (want === 'meta.pattern') patterns++;
      });
    }
    assert.ok(patterns > 100, `only ${patterns} patterns`);
  });

  const trivy = filesUnder(path.join(CORPUS, 'trivy', 'ignorefiles'), (f) => f.endsWith('.trivyignore'));
  test(`${trivy.length} .trivyignore files: every entry starts with an id`, { skip: trivy.length === 0 && 'corpus not present' }, async () => {
    for (const file of trivy) {
      const t = await tokenize('trivyignore', fs.readFileSync(file, 'utf8'));
      t.lines.forEach((l, i) => {
        const trimmed = l.trim();
        if (!trimmed) return;
        const want = trimmed.startsWith('#') ? 'comment.line.number-sign' : 'constant.other.id';
        assert.ok(hasScope(t.scopesAt(i, l.indexOf(trimmed[0])), want), `${file}:${i + 1}\n${t.describeLine(i)}`);
      });
    }
  });
});
