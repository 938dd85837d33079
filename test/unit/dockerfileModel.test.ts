// The Dockerfile model: (a) its answers on small files (every squash spelling, artifact-only stages, FROM chains,
// ARG/ENV scopes, expansion forms, RUN shells and mounts), and (b) over every corpus Dockerfile, that each consumer
// (the rules, the layer attribution, the budgets and lenses, the smoke test, the compose health lookup) gives the
// model's answer, with a check that the comparison does catch a consumer computing its own.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, type Instr, type ParsedDockerfile, type Stage } from '../../server/src/parse/dockerfile';
import { modelOf } from '../../server/src/model/dockerfile/model';
import { isRootSource, isWholeRootCopy } from '../../server/src/model/dockerfile/imageViews';
import { isWholeContext } from '../../server/src/model/dockerfile/copySources';
import { PLATFORM_ARGS, PROXY_ARGS, expandWord } from '../../server/src/model/dockerfile/expansion';
import { buildSteps } from '../../server/src/model/imageHistory';
import { healthcheckLine } from '../../server/src/smoke/run';
import { dockerfileHealthcheck } from '../../server/src/rules/composeRuleHelpers';
import { lintParsed, RULES_BY_ID } from '../../server/src/engine/linter';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import type { Finding } from '../../server/src/core/findings';
import { CORPUS } from '../helpers';
import { walk } from '../bench/corpus';

const model = (text: string) => modelOf(parseDockerfile(text));
const names = (stages: readonly Stage[]) => stages.map((s) => s.name ?? String(s.index));

describe('Dockerfile model: what the final image contains', () => {
  const build = 'FROM debian:bookworm-slim AS build\nRUN apt-get update && apt-get install -y curl\nENV APP=1\nUSER app\nHEALTHCHECK CMD curl -f http://localhost/\n';
  const spellings = ['/ /', '/* /', '. /', './ /', '/. /', './* /', '/ //', '["/", "/"]', '["./", "/"]'];
  const flags = ['', '--link ', '--chown=1000:1000 ', '--link --chown=app:app ', '--chmod=755 --link '];
  for (const spelling of spellings) {
    for (const flag of flags) {
      it(`COPY ${flag}--from=build ${spelling} squashes the build stage`, () => {
        const m = model(`${build}FROM scratch\nCOPY ${flag}--from=build ${spelling}\nCMD ["/app"]\n`);
        const v = m.finalImage()!;
        assert.equal(v.squash?.source?.name, 'build');
        assert.deepEqual(names(v.configStages), ['1']);
        assert.deepEqual(names(v.fsStages), ['1', 'build']);
        assert.equal(v.baseImage, 'debian:bookworm-slim');
        // the squash keeps the files, not the config: the build stage's HEALTHCHECK is left behind
        assert.equal(v.healthcheck, undefined);
        assert.equal(v.artifactOnly, false);
      });
    }
  }

  it('names the whole root the same way for a stage and for the build context', () => {
    for (const src of ['/', '/*', '.', './', '/.', './*', '*', '//']) {
      assert.ok(isRootSource(src), src);
      assert.ok(isWholeContext(src), src);
    }
    for (const src of ['/app', './src', '..', '*.txt', 'a/*']) {
      assert.ok(!isRootSource(src), src);
      assert.ok(!isWholeContext(src), src);
    }
  });

  for (const [copy, why] of [
    ['COPY --from=build /app /app', 'a path of the stage'],
    ['COPY --from=build / /app', 'the root into a folder'],
    ['COPY --from=build /usr /lib /', 'some folders of the root'],
    ['COPY --from=build .. /', 'a parent folder'],
    ['COPY / /', 'the build context'],
    ['ADD --from=build / /', 'ADD (no --from in Docker)'],
  ]) {
    it(`${copy} is not a squash (${why})`, () => {
      const m = model(`${build}FROM scratch\n${copy}\nCMD ["/app"]\n`);
      const v = m.finalImage()!;
      assert.equal(v.squash, undefined);
      assert.deepEqual(names(v.fsStages), ['1']);
      assert.equal(v.baseImage, 'scratch');
    });
  }

  it('a whole-root copy into a FROM <image> stage brings the files but not the config', () => {
    const m = model(`${build}FROM alpine:3.20\nCOPY --from=build / /\n`);
    const v = m.finalImage()!;
    assert.equal(v.squash, undefined);
    assert.deepEqual(names(v.fsStages), ['1', 'build']);
    assert.equal(v.baseImage, 'alpine:3.20');
    assert.equal(v.healthcheck, undefined);
  });

  it('a squash of an external image takes that image as its base', () => {
    const v = model('FROM scratch\nCOPY --from=busybox:1.36 / /\nCMD ["sh"]\n').finalImage()!;
    assert.equal(v.squash?.source, undefined);
    assert.equal(v.squash?.sourceRef, 'busybox:1.36');
    assert.equal(v.baseImage, 'busybox:1.36');
  });

  it('whole-root copies are followed recursively, FROM <stage> chains root first', () => {
    const m = model('FROM node:22 AS deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\nFROM scratch AS flat\nCOPY --from=build . /\n' +
      'FROM flat\nUSER 1000\nHEALTHCHECK CMD ["/bin/check"]\nEXPOSE 80\n');
    const v = m.finalImage()!;
    assert.deepEqual(names(v.configStages), ['flat', '3']);
    assert.deepEqual(names(v.fsStages), ['flat', '3', 'deps', 'build']);
    assert.equal(v.baseImage, 'node:22');
    assert.equal(v.healthcheck?.range.start.line, 8);
    assert.deepEqual(names(m.chain(m.parsed.stages[1])), ['deps', 'build']);
  });

  it('a FROM that names a stage through a global ARG builds on that stage', () => {
    const m = model('ARG FLAVOUR=slim\nFROM debian:bookworm-slim AS base-slim\nUSER app\nFROM base-${FLAVOUR}\nRUN true\n' +
      'FROM alpine:3.20 AS bin-linux\nFROM bin-$TARGETOS AS out\n');
    assert.deepEqual(names(m.chain(m.parsed.stages[1])), ['base-slim', '1']);
    assert.equal(m.image(m.parsed.stages[1]).baseImage, 'debian:bookworm-slim');
    assert.deepEqual(names(m.chain(m.parsed.stages[3])), ['bin-linux', 'out']);
  });

  it('COPY --from of a stage copies files without making it part of the image', () => {
    const m = model(`${build}FROM python:3.12-slim\nCOPY --from=build /usr/bin/curl /usr/bin/curl\nCOPY --from=0 /etc/app /etc/app\n`);
    const v = m.finalImage()!;
    assert.deepEqual(names(v.fsStages), ['1']);
    assert.deepEqual(names(v.copiesFrom), ['build']);
  });

  it('a --target picks the image of that stage', () => {
    const m = model(`${build}FROM scratch AS out\nCOPY --from=build / /\nFROM alpine:3.20\n`);
    assert.equal(m.finalImage('out')!.stage.name, 'out');
    assert.equal(m.finalImage('OUT')!.squash?.source?.name, 'build');
    assert.equal(m.finalImage()!.stage.index, 2);
    assert.equal(m.finalImage('build')!.healthcheck?.range.start.line, 4);
  });
});

describe('Dockerfile model: artifact-only stages', () => {
  const build = 'FROM golang:1.23 AS build\nRUN go build -o /out/app .\n';
  it('a scratch stage that only carries files runs no service', () => {
    assert.equal(model(`${build}FROM scratch AS export\nCOPY --from=build /out/app /\n`).finalImage()!.artifactOnly, true);
  });
  for (const line of ['CMD ["/app"]', 'ENTRYPOINT ["/app"]', 'EXPOSE 8080']) {
    it(`a scratch stage with ${line.split(' ')[0]} is a service image`, () => {
      assert.equal(model(`${build}FROM scratch\nCOPY --from=build /out/app /app\n${line}\n`).finalImage()!.artifactOnly, false);
    });
  }
  it('a squash of a service image is not artifact-only', () => {
    assert.equal(model(`${build}FROM scratch\nCOPY --from=build / /\n`).finalImage()!.artifactOnly, false);
  });
  it('an image on a real base is never artifact-only', () => {
    assert.equal(model('FROM alpine:3.20\nCOPY a /a\n').finalImage()!.artifactOnly, false);
  });
});

describe('Dockerfile model: ARG and ENV scopes', () => {
  it('the global scope has the platform args and the global ARGs, expanded in order', () => {
    const m = model('ARG V=1\nARG W=${V}.2\nARG BARE\nARG TARGETARCH\nFROM alpine:${W}\n');
    assert.equal(m.globalScope.lookup('V'), '1');
    assert.equal(m.globalScope.lookup('W'), '1.2');
    assert.equal(m.globalScope.has('BARE'), true);
    assert.equal(m.globalScope.lookup('BARE'), undefined);
    assert.equal(m.globalScope.lookup('TARGETARCH'), 'amd64');
    assert.equal(m.globalScope.lookup('TARGETSTAGE'), 'default');
    assert.deepEqual([...m.globalArgNames].sort(), ['BARE', 'TARGETARCH', 'V', 'W']);
  });

  it('a stage sees a global ARG only after re-declaring it, with the global default', () => {
    const m = model('ARG VERSION=3.19\nFROM alpine:${VERSION}\nRUN echo $VERSION\nARG VERSION\nARG TARGETOS\nRUN echo $VERSION\n');
    const [run1, , , run2] = m.parsed.stages[0].instructions.slice(1);
    assert.equal(m.scopeBefore(run1).has('VERSION'), false);
    assert.equal(m.scopeBefore(run1).has('TARGETOS'), false);
    assert.equal(m.scopeBefore(run2).lookup('VERSION'), '3.19');
    assert.equal(m.scopeBefore(run2).lookup('TARGETOS'), 'linux');
  });

  it('a FROM <stage> inherits both ARG and ENV; an unrelated stage sees neither', () => {
    const m = model('FROM alpine:3.20 AS a\nARG LOCAL="local arg"\nENV MY_VAR=$LOCAL\nFROM a AS c\nRUN echo $LOCAL\nFROM alpine:3.20\nRUN echo $LOCAL\n');
    const c = m.parsed.stages[1].instructions[1];
    assert.equal(m.scopeBefore(c).lookup('LOCAL'), 'local arg');
    assert.equal(m.scopeBefore(c).lookup('MY_VAR'), 'local arg');
    assert.equal(m.scopeBefore(m.parsed.stages[2].instructions[1]).has('LOCAL'), false);
    assert.deepEqual([...m.scopeAtEnd(m.parsed.stages[0]).names()].sort(), ['LOCAL', 'MY_VAR']);
  });

  it('the pairs of one ENV line see the values from before the line; ARG defaults see earlier names of their line', () => {
    const m = model('FROM alpine:3.20\nENV A=1\nENV A=2 B=$A\nARG X=x Y=${X}y\nRUN true\n');
    const s = m.scopeBefore(m.parsed.stages[0].instructions[4]);
    assert.equal(s.lookup('A'), '2');
    assert.equal(s.lookup('B'), '1');
    assert.equal(s.lookup('Y'), 'xy');
    assert.equal(s.get('B')?.kind, 'env');
    assert.equal(s.get('B')?.raw, '$A');
  });

  it('an ENV keeps winning over a later ARG of the same name', () => {
    const m = model('FROM alpine:3.20\nENV V=env\nARG V=arg\nRUN echo $V\n');
    assert.equal(m.scopeBefore(m.parsed.stages[0].instructions[3]).lookup('V'), 'env');
  });

  it('predefines the proxy args and the platform args BuildKit defines', () => {
    for (const n of ['HTTP_PROXY', 'https_proxy', 'NO_PROXY', 'all_proxy', 'FTP_PROXY']) assert.ok(PROXY_ARGS.has(n), n);
    for (const n of ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETSTAGE']) {
      assert.ok(PLATFORM_ARGS.has(n), n);
    }
  });
});

describe('Dockerfile model: expansion', () => {
  const env = new Map([['A', 'a'], ['E', ''], ['N', '1']]);
  const cases: [string, string][] = [
    ['$A', 'a'], ['${A}', 'a'], ['pre${A}post', 'preapost'], ['$A$N', 'a1'], ['$UNSET', ''],
    ['${A:-d}', 'a'], ['${E:-d}', 'd'], ['${E-d}', ''], ['${UNSET-d}', 'd'], ['${UNSET:-d}', 'd'],
    ['${A:+y}', 'y'], ['${E:+y}', ''], ['${E+y}', 'y'], ['${UNSET+y}', ''], ['${UNSET:+y}', ''],
    ['${UNSET:-${A}-x}', 'a-x'], ['${UNSET:-${ALSO:-z}}', 'z'], ['${A:?required}', 'a'],
    ['"$A b"', 'a b'], ["'$A'", '$A'], ['"\'$A\'"', "'a'"], ['\\$A', '$A'], ['a\\ b', 'a b'], ['$1', '$1'], ['${', '${'],
  ];
  for (const [text, want] of cases) {
    it(`${text} → ${JSON.stringify(want)}`, () => assert.equal(expandWord(text, env).result, want));
  }
  it('a backtick escape character escapes as `\\` does', () => {
    assert.equal(expandWord('`$A-$A', env, { escapeChar: '`' }).result, '$A-a');
  });
  it('keeps an unset reference as written when asked, and says when the result is unresolved', () => {
    const r = expandWord('$X-${A}-${Y:-y}', env, { keepUnset: true, quotes: false });
    assert.equal(r.result, '$X-a-y');
    assert.equal(r.unresolved, true);
    assert.deepEqual([...r.matched], ['A']);
    assert.deepEqual([...r.unmatched].sort(), ['X', 'Y']);
    assert.equal(expandWord('${X:-fallback}', env).unresolved, false);
    assert.equal(expandWord('plain', env).hadVars, false);
  });
  it('takes a lookup function as well as a map', () => {
    assert.equal(expandWord('${V}', (n) => (n === 'V' ? 'v' : undefined)).result, 'v');
  });
});

describe('Dockerfile model: RUN instructions', () => {
  it('each RUN has its stage, shell, mounts and heredoc; ONBUILD RUN included', () => {
    const m = model('FROM alpine:3.20 AS a\nSHELL ["/bin/bash", "-c"]\nRUN --mount=type=cache,target="/root/.cache/" pip install x\n' +
      'FROM a\nRUN <<EOF\nset -e\necho hi\nEOF\nONBUILD RUN make\nSHELL ["pwsh", "-c"]\nRUN Write-Host hi\nRUN ["echo", "exec"]\n');
    const runs = m.runs;
    assert.equal(runs.length, 5);
    assert.deepEqual(runs.map((r) => r.program), ['/bin/bash', '/bin/bash', '/bin/bash', 'pwsh', 'pwsh']);
    assert.deepEqual(runs.map((r) => r.posix), [true, true, true, false, false]);
    assert.deepEqual(runs[0].mounts.map((x) => [x.type, x.target]), [['cache', '/root/.cache']]);
    assert.ok(runs[1].heredoc);
    assert.deepEqual(runs[1].commands.map((c) => c.words[0].value), ['set', 'echo']);
    assert.equal(runs[2].onbuild, true);
    assert.equal(runs[4].exec, true);
    assert.deepEqual(m.posixRuns.map((r) => r.instr.range.start.line), [2, 4, 8]);
  });
  it('a shell pragma above a RUN names its shell until a later SHELL', () => {
    const m = model('FROM mcr.microsoft.com/windows/servercore:ltsc2022\n# hadolint shell=powershell\nRUN Get-Item x\nSHELL ["cmd", "/S", "/C"]\nRUN dir\n');
    assert.deepEqual(m.runs.map((r) => r.program), ['powershell', 'cmd']);
    assert.equal(m.posixRuns.length, 0);
  });
  it('reads a shell pragma on the first line, which the parser takes for a directive', () => {
    const m = model('# hadolint shell=powershell\nFROM mcr.microsoft.com/powershell:lts\nRUN Get-Item $env:x\n');
    assert.deepEqual(m.runs.map((r) => [r.program, r.pragmaShell, r.posix]), [['powershell', 'powershell', false]]);
  });
});

// ---------------------------------------------------------------------------------------------
// (b) every consumer gives the model's answer, on every corpus Dockerfile

type Answers = Record<string, string>;

/** The consumers' answers that must agree: a list of `consumer: answer` pairs grouped by the question. */
function disagreements(file: string, questions: Record<string, Answers>): string[] {
  const out: string[] = [];
  for (const [q, answers] of Object.entries(questions)) {
    const distinct = new Set(Object.values(answers));
    if (distinct.size > 1) out.push(`${file}: ${q}: ${Object.entries(answers).map(([k, v]) => `${k}=${v}`).join('; ')}`);
  }
  return out;
}

const RULE_IDS = ['apt-lists-cleanup', 'multi-stage-build-tools', 'healthcheck-missing', 'user-non-root', 'squash-stage-drops-config'];
const config = emptyConfig();
for (const id of RULE_IDS) config.rules[id] = { severity: 'warning', options: {} };

function ruleFindings(file: string, parsed: ParsedDockerfile): Finding[] {
  return lintParsed('dockerfile', file, parsed, { config, rules: RULE_IDS.map((id) => RULES_BY_ID.get(id)!) });
}

/** Stand-ins for a consumer, to check that a consumer computing its own answer is caught. */
interface Substitutes {
  finalStages?: (p: ParsedDockerfile) => readonly Stage[];
  historySteps?: (p: ParsedDockerfile) => readonly Instr[];
  smokeHealthcheck?: (p: ParsedDockerfile) => number | undefined;
}

/** What each consumer says about a file's final image. */
function consumerAnswers(file: string, parsed: ParsedDockerfile, sub: Substitutes = {}): Record<string, Answers> {
  const finalStages = sub.finalStages ?? ((p: ParsedDockerfile) => modelOf(p).finalImage()?.fsStages ?? []);
  const m = modelOf(parsed);
  const final = m.finalImage();
  const id = (stages: readonly Stage[]) => names(stages).join(',');
  const line = (l: number | undefined) => (l === undefined ? 'none' : String(l + 1));
  const findings = ruleFindings(file, parsed);
  const stageOf = (f: Finding) => parsed.instructionAt(f.range.start.line)?.stage;
  const fsStages = new Set(finalStages(parsed));
  // a rule that judges the shipped stages reports only inside them (ONBUILD triggers run in later builds)
  const outside = (rule: string) => findings.filter((f) => f.rule === rule && parsed.instructionAt(f.range.start.line)?.keyword !== 'ONBUILD')
    .filter((f) => { const s = stageOf(f); return s !== undefined && !fsStages.has(s); }).map((f) => f.range.start.line + 1).join(',') || 'inside';
  const steps = buildSteps(parsed);
  const lines = (instrs: readonly { range: { start: { line: number } } }[]) => instrs.map((i) => i.range.start.line + 1).join(',');
  const hc = final?.healthcheck;
  const composeState = dockerfileHealthcheck(parsed);
  const hcMissing = findings.some((f) => f.rule === 'healthcheck-missing');
  const squashRule = findings.some((f) => f.rule === 'squash-stage-drops-config');
  return {
    'the stages whose files the final image holds': {
      model: id(parsed.stages.filter((s) => final?.fsStages.includes(s))),
      consumers: id(parsed.stages.filter((s) => fsStages.has(s))),
    },
    'rules judging only shipped stages stay inside them': {
      model: 'inside', 'apt-lists-cleanup': outside('apt-lists-cleanup'), 'multi-stage-build-tools': outside('multi-stage-build-tools'),
    },
    'the instructions that leave an entry in the image history (its config stages without FROM)': {
      model: lines((final?.configStages ?? []).flatMap((s) => s.instructions.filter((i) => i.keyword !== 'FROM'))),
      'layer attribution (history steps)': lines(sub.historySteps ? sub.historySteps(parsed) : steps.steps),
    },
    'the stage an image of the file ends with': {
      model: String(final?.stage.index ?? 'none'),
      'budgets and lenses (targetStage)': String(m.targetStage()?.index ?? 'none'),
      'layer attribution root': String(steps.root ? final?.configStages[0] === steps.root ? final.stage.index : `root ${steps.root.index}` : 'none'),
    },
    'the HEALTHCHECK the final image keeps': {
      model: line(hc?.range.start.line),
      'smoke test': line(sub.smokeHealthcheck ? sub.smokeHealthcheck(parsed) : healthcheckLine(parsed)),
      'compose health lookup': composeState === 'none' ? 'none' : line(hc?.range.start.line),
      // healthcheck-missing is silent whenever the image keeps one
      'healthcheck-missing': hc && hcMissing ? 'reported although kept' : line(hc?.range.start.line),
    },
    'the squash source the config is dropped from': {
      model: final?.squash?.source ? 'squash' : 'none',
      'squash-stage-drops-config': squashRule ? 'squash' : final?.squash?.source ? 'squash' : 'none',
    },
  };
}

describe('Dockerfile model: every consumer agrees with it on the corpus', () => {
  const files = walk(path.join(CORPUS, 'dockerfiles'), () => true);

  it('has the 483 corpus Dockerfiles', () => assert.equal(files.length, 483));

  it('gives one answer per question on every corpus Dockerfile', () => {
    const problems: string[] = [];
    let chains = 0;
    let artifacts = 0;
    for (const file of files) {
      const parsed = parseDockerfile(fs.readFileSync(file, 'utf8'));
      const final = modelOf(parsed).finalImage();
      if ((final?.configStages.length ?? 0) > 1) chains++;
      if (final?.artifactOnly) artifacts++;
      problems.push(...disagreements(path.relative(CORPUS, file), consumerAnswers(file, parsed)));
    }
    assert.deepEqual(problems, []);
    // the corpus exercises the questions: final images built FROM another stage, and export-only images
    assert.ok(chains > 0 && artifacts > 0, `${chains} FROM <stage> finals, ${artifacts} artifact-only finals`);
  });

  it('catches a consumer that computes its answer its own way', () => {
    // the root spellings one of the former helpers accepted: `/*` but not `.` or `./`
    const oldSpellings = (p: ParsedDockerfile) => {
      const m = modelOf(p);
      const v = m.finalImage();
      if (!v) return [];
      const copy = v.squash?.copy;
      const words = copy ? copy.args.map((a) => a.value) : [];
      return copy && !['/', '/*'].includes(words[0]) ? v.configStages : v.fsStages;
    };
    const text = 'FROM debian:bookworm-slim AS build\nRUN apt-get update && apt-get install -y gcc\nHEALTHCHECK CMD true\nFROM scratch\nCOPY --from=build . /\nCMD ["/app"]\n';
    const parsed = parseDockerfile(text);
    assert.ok(isWholeRootCopy(parsed.stages[1].instructions[1]));
    assert.deepEqual(disagreements('probe', consumerAnswers('Dockerfile', parsed)), []);
    const caught = disagreements('probe', consumerAnswers('Dockerfile', parsed, { finalStages: oldSpellings }));
    assert.ok(caught.some((d) => d.includes('the stages whose files the final image holds')), caught.join('\n'));
    assert.ok(caught.some((d) => d.includes('multi-stage-build-tools=')), caught.join('\n'));
    // the smoke test's former lookup: the last HEALTHCHECK line of the whole text, builder stages included
    const lastInText = (p: ParsedDockerfile) => {
      const found = p.instructions.filter((i) => i.keyword === 'HEALTHCHECK').pop();
      return found?.range.start.line;
    };
    const smokeCaught = disagreements('probe', consumerAnswers('Dockerfile', parsed, { smokeHealthcheck: lastInText }));
    assert.ok(smokeCaught.some((d) => d.includes('smoke test=3')), smokeCaught.join('\n'));
    // a layer attribution that reads only the last stage, forgetting the FROM <stage> chain
    const ownStage = (p: ParsedDockerfile) => p.finalStage?.instructions.filter((i) => i.keyword !== 'FROM') ?? [];
    let corpusCaught = 0;
    for (const file of files) {
      const p = parseDockerfile(fs.readFileSync(file, 'utf8'));
      if (disagreements(file, consumerAnswers(file, p, { historySteps: ownStage })).length) corpusCaught++;
    }
    assert.ok(corpusCaught > 0, 'a layer attribution without the FROM <stage> chain disagrees on corpus files');
  });
});
