// squash-stage-drops-config: a final `FROM scratch` + `COPY --from=<stage> / /` stage keeps the files but
// not the image config; every ENV, USER, LABEL, … the source stage set must be declared again.

import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import type { DockerfileRule } from '../context';
import { fix } from '../../model/dockerfile/wordsAndEdits';
import { CONFIG_KEYWORDS, insertLines, namesInScope, squashInsertion } from '../../model/dockerfile/stages';
import { instrsOf } from '../../model/dockerfile/imageViews';
import { modelOf } from '../../model/dockerfile/model';
import { argDecls, keyedProps } from '../../model/dockerfile/vars';
import { scanRefs } from '../../model/dockerfile/expansion';
import { trimTrailing } from '../../core/strings';

const KEYED = new Set(['ENV', 'LABEL', 'EXPOSE', 'VOLUME']);

/** The keys a keyed config instruction sets: ENV/LABEL names, EXPOSE ports, VOLUME paths. */
export function configKeys(parsed: ParsedDockerfile, instr: Instr): string[] {
  switch (instr.keyword) {
    case 'ENV':
    case 'LABEL':
      return keyedProps(parsed, instr).map((p) => p.key);
    case 'EXPOSE':
      return instr.args.map((a) => normalizePort(a.value));
    case 'VOLUME':
      return (instr.jsonArgs ?? instr.args.map((a) => a.value)).map((v) => trimTrailing(v, '/') || v.slice(0, 1));
    default:
      return [];
  }
}

function normalizePort(p: string): string {
  const [port, proto] = p.toLowerCase().split('/');
  return proto && proto !== 'tcp' ? `${port}/${proto}` : port;
}

/** The value a single-valued instruction sets, for messages and for "same as the scratch default". */
function singleValue(instr: Instr): string {
  return instr.argsText.trim();
}

/** Whether a single-valued setting equals what a scratch image has anyway (so losing it changes nothing). */
function isScratchDefault(keyword: string, value: string): boolean {
  if (keyword === 'USER') return /^(root|0)(:(root|0))?$/.test(value);
  if (keyword === 'WORKDIR') return value === '/';
  if (keyword === 'HEALTHCHECK') return /^NONE$/i.test(value);
  return false;
}

/** WORKDIR as it ends up after a sequence of (possibly relative) WORKDIR instructions. */
function resolveWorkdir(list: Instr[]): string {
  let dir = '/';
  for (const w of list) {
    const v = singleValue(w);
    dir = v.startsWith('/') || v.startsWith('$') ? v : `${dir.replace(/\/$/, '')}/${v}`;
  }
  return dir;
}

const rule: DockerfileRule = {
  meta: {
    id: 'squash-stage-drops-config',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Re-declare image config in a FROM scratch squash stage',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'A squash stage (`FROM scratch` followed by `COPY --from=<stage> / /`) flattens the layers of another stage, ' +
        'but only its files come across. Environment variables, the user, the working directory, entrypoint and ' +
        'command, exposed ports, health check, labels, stop signal and volumes live in the image config, which the ' +
        'copy leaves behind. Anything the source stage set has to be declared again in the squash stage, or the ' +
        'final image silently runs as root, without its PATH, without its labels or without its health check.',
      invalid:
        'FROM python:3.12-slim AS runtime\nENV APP_PORT=8000\nRUN useradd --system app\nUSER app\nCMD ["python", "-m", "app"]\n\n' +
        'FROM scratch\nCOPY --from=runtime / /\nCMD ["python", "-m", "app"]\n',
      valid:
        'FROM python:3.12-slim AS runtime\nENV APP_PORT=8000\nRUN useradd --system app\nUSER app\nCMD ["python", "-m", "app"]\n\n' +
        'FROM scratch\nCOPY --from=runtime / /\nENV APP_PORT=8000\nUSER app\nCMD ["python", "-m", "app"]\n',
      notes:
        'Only config declared in this Dockerfile counts: what the source stage\'s base image sets (for example the ' +
        'python image\'s own `PATH`) is not known to the linter, so re-declare those values yourself. The source ' +
        'stage\'s `FROM <stage>` chain in this file is followed. A setting counts as re-declared when the squash ' +
        'stage (or a stage built `FROM` it) sets the same ENV/LABEL key, EXPOSE port, VOLUME path or single-valued ' +
        'instruction, whatever its value. `USER root`, `WORKDIR /` and `HEALTHCHECK NONE` are what a scratch image ' +
        'has anyway, so dropping them is not reported.\n\n' +
        'The fix copies the missing instructions right after the `COPY --from` line (after any ARGs that directly ' +
        'follow it): the original instruction when all its keys are missing, otherwise one instruction per missing ' +
        'key. ARGs that the copied lines use are declared too (a stage\'s ARGs do not reach another stage). When a ' +
        'copied line uses a variable that only the base image defined (such as `$JAVA_HOME`), no fix is offered and ' +
        'the message names the variable: it expands to nothing in a scratch stage, so write the value out. `$PATH` ' +
        'is the exception: BuildKit gives every stage, scratch included, the default PATH.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    const m = modelOf(p);
    const view = m.finalImage();
    const squash = view?.squash;
    if (!view || !squash?.source) return;
    const src = m.image(squash.source);
    const srcInstrs = instrsOf(src.configStages, ...CONFIG_KEYWORDS);
    const finalInstrs = instrsOf(view.configStages, ...CONFIG_KEYWORDS);

    // what the squash image declares itself
    const declaredKeys = new Map<string, Set<string>>();
    const declaredSingle = new Set<string>();
    for (const i of finalInstrs) {
      if (KEYED.has(i.keyword)) {
        const set = declaredKeys.get(i.keyword) ?? new Set<string>();
        configKeys(p, i).forEach((k) => set.add(k));
        declaredKeys.set(i.keyword, set);
      } else declaredSingle.add(i.keyword);
    }

    // what the source stage set: the last setter of each key or single setting
    const lastKeyed = new Map<string, Map<string, Instr>>();
    const lastSingle = new Map<string, Instr>();
    for (const i of srcInstrs) {
      if (KEYED.has(i.keyword)) {
        const m = lastKeyed.get(i.keyword) ?? new Map<string, Instr>();
        configKeys(p, i).forEach((k) => m.set(k, i));
        lastKeyed.set(i.keyword, m);
      } else lastSingle.set(i.keyword, i);
    }

    const missingKeys = new Map<string, string[]>();
    const missingSingle = new Map<string, string>();
    for (const kw of CONFIG_KEYWORDS) {
      if (KEYED.has(kw)) {
        const have = declaredKeys.get(kw) ?? new Set<string>();
        const keys = [...(lastKeyed.get(kw)?.keys() ?? [])].filter((k) => !have.has(k));
        if (keys.length) missingKeys.set(kw, keys);
      } else {
        const last = lastSingle.get(kw);
        if (!last || declaredSingle.has(kw)) continue;
        const value = kw === 'WORKDIR' ? resolveWorkdir(srcInstrs.filter((i) => i.keyword === 'WORKDIR')) : singleValue(last);
        if (!isScratchDefault(kw, value)) missingSingle.set(kw, value);
      }
    }
    if (missingKeys.size === 0 && missingSingle.size === 0) return;

    const parts: string[] = [];
    for (const kw of CONFIG_KEYWORDS) {
      if (missingKeys.has(kw)) parts.push(`${kw} ${missingKeys.get(kw)!.join(', ')}`);
      else if (missingSingle.has(kw)) {
        const v = missingSingle.get(kw)!;
        parts.push(['USER', 'WORKDIR', 'STOPSIGNAL'].includes(kw) ? `${kw} ${v}` : kw);
      }
    }

    // the lines to copy, in the source's order so later lines can use earlier ones
    const lines: string[] = [];
    for (const i of srcInstrs) {
      if (KEYED.has(i.keyword)) {
        const missing = new Set(missingKeys.get(i.keyword) ?? []);
        const keys = configKeys(p, i);
        if (keys.length > 0 && keys.every((k) => missing.has(k))) { lines.push(p.text.slice(i.startOffset, i.endOffset)); continue; }
        const last = lastKeyed.get(i.keyword)!;
        const props = i.keyword === 'ENV' || i.keyword === 'LABEL' ? keyedProps(p, i) : [];
        keys.forEach((k, n) => {
          if (!missing.has(k) || last.get(k) !== i) return;
          if (props[n]) lines.push(`${i.keyword} ${/[\s"'=]/.test(k) ? JSON.stringify(k) : k}=${props[n].raw}`);
          else if (i.keyword === 'VOLUME' && /\s/.test(k)) lines.push(`VOLUME ${JSON.stringify([k])}`);
          else lines.push(`${i.keyword} ${k}`);
        });
      } else if (missingSingle.has(i.keyword) && lastSingle.get(i.keyword) === i) {
        const relativeWorkdir = i.keyword === 'WORKDIR' && !singleValue(i).startsWith('/');
        lines.push(relativeWorkdir ? `WORKDIR ${missingSingle.get('WORKDIR')}` : p.text.slice(i.startOffset, i.endOffset));
      }
    }

    // variables the copied lines use must be defined where they land
    const at = squashInsertion(squash);
    const known = namesInScope(p, squash.stage, at.offset + 1);
    // BuildKit gives every stage, scratch included, the default PATH, so `$PATH` still expands
    known.add('PATH');
    const argLines: string[] = [];
    const unresolved: string[] = [];
    const globalArgs = new Set(p.globalArgs.flatMap(argDecls).map((a) => a.name));
    for (const line of lines) {
      for (const ref of scanRefs(line, p.escapeChar)) {
        if (known.has(ref.name)) continue;
        const srcArg = instrsOf(src.configStages, 'ARG').flatMap(argDecls).filter((a) => a.name === ref.name).pop();
        if (srcArg) argLines.push(srcArg.value !== undefined && !globalArgs.has(ref.name) ? `ARG ${ref.name}=${quoteArg(srcArg.value)}` : `ARG ${ref.name}`);
        else if (globalArgs.has(ref.name)) argLines.push(`ARG ${ref.name}`);
        else unresolved.push(ref.name);
        known.add(ref.name);
      }
      if (line.startsWith('ENV')) {
        const m = /^ENV\s+([A-Za-z_][A-Za-z0-9_]*)[=\s]/.exec(line);
        if (m) known.add(m[1]);
        for (const k of line.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)) known.add(k[1]);
      }
    }

    const stageName = squash.source.name ? `stage \`${squash.source.name}\`` : `stage ${squash.source.index}`;
    // a variable only the base image defined has no value in a scratch stage: copying blindly would be wrong
    const caveat = unresolved.length
      ? ` (${unresolved.map((n) => `\`$${n}\``).join(', ')} came from the base image, so write the values out)` : '';
    ctx.report({
      range: squash.copy.range,
      message: `The FROM scratch squash drops config that ${stageName} sets: ${parts.join('; ')}; re-declare it after the COPY --from${caveat}.`,
      fixes: unresolved.length ? [] : [fix('Copy the missing config into the squash stage', 'safe', insertLines(p, at, [...argLines, ...lines]))],
    });
  },
};

function quoteArg(value: string): string {
  return /^[^\s"'$\\]*$/.test(value) ? value : JSON.stringify(value);
}

export default rule;
