// squash-volume-mountpoint: a compose service built from a Dockerfile whose final stage is a `FROM scratch` squash
// mounts a volume at a path the squashed image does not contain (cross-file: reported on the compose volume entry).

import * as path from 'node:path';
import type { ComposeRule } from '../context';
import { positionals, programArgs, programName } from '../../parse/shell';
import { modelOf } from '../../model/dockerfile/model';
import type { Stage } from '../../parse/dockerfile';
import { nodeOf } from '../composeRuleHelpers';
import { imageName, parseMount } from '../../model/composeValues';
import { isSeq, type Node } from 'yaml';

/** Folders every non-scratch base image has. */
const STANDARD = ['/tmp', '/var', '/var/tmp', '/var/log', '/var/lib', '/var/cache', '/var/run', '/run', '/etc', '/usr', '/usr/local', '/opt', '/srv', '/mnt', '/home', '/root', '/dev/shm'];

/** Data folders that well-known base images create (and declare as VOLUME). */
const IMAGE_DIRS: [RegExp, string[]][] = [
  [/postgres|paradedb|postgis|timescale|pgvector/, ['/var/lib/postgresql/data']],
  [/^(mysql|mariadb|percona)/, ['/var/lib/mysql']],
  [/^(redis|valkey|keydb)/, ['/data']],
  [/^mongo/, ['/data/db', '/data/configdb']],
  [/^caddy/, ['/data', '/config']],
];

const clean = (p: string) => path.posix.normalize(p).replace(/(.)\/$/, '$1');

/** Absolute paths the image's own stages create: mkdir, WORKDIR, COPY/ADD destinations and VOLUME. */
function createdPaths(stages: readonly Stage[]): string[] {
  const out: string[] = [];
  for (const stage of stages) {
    let workdir = '/';
    for (const i of stage.instructions) {
      const abs = (p: string) => clean(p.startsWith('/') ? p : path.posix.join(workdir, p));
      if (i.keyword === 'WORKDIR') { workdir = abs(i.argsText.trim()); out.push(workdir); }
      else if (i.keyword === 'VOLUME') out.push(...(i.jsonArgs ?? i.args.map((a) => a.value)).map(abs));
      else if (i.keyword === 'COPY' || i.keyword === 'ADD') {
        const words = i.jsonArgs ?? i.args.map((a) => a.value);
        if (words.length >= 2) out.push(abs(words[words.length - 1]));
      } else if (i.keyword === 'RUN') {
        for (const cmd of i.commands()) {
          if (programName(cmd) !== 'mkdir') continue;
          for (const w of positionals(programArgs(cmd), ['-m', '--mode'])) out.push(abs(w.value));
        }
      }
    }
  }
  return out;
}

const rule: ComposeRule = {
  meta: {
    id: 'squash-volume-mountpoint',
    language: 'compose',
    category: 'build',
    title: 'Create volume mountpoints before squashing the image',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'A `FROM scratch` squash keeps only the files of the stage it copies. When a named volume is mounted at a ' +
        'folder the image does not have, Docker creates it at run time owned by root and the new volume starts empty ' +
        'with root ownership, so a non-root service cannot write to it. Create the mountpoint (with `mkdir -p` and ' +
        'the right owner) in the stage that is squashed.',
      invalid: 'services:\n  app:\n    build: .\n    volumes:\n      - app-data:/app/cache\nvolumes:\n  app-data:\n',
      valid: 'services:\n  app:\n    build: .\n    volumes:\n      - app-data:/app/data\nvolumes:\n  app-data:\n',
      files: {
        Dockerfile: 'FROM python:3.12-slim AS runtime\nWORKDIR /app\nRUN mkdir -p /app/data\n\nFROM scratch\nCOPY --from=runtime / /\nCMD ["python", "-m", "app"]\n',
      },
      notes: 'This is a compose rule because the mount lives in the compose file: it is reported on the volume entry ' +
        'and needs the service\'s Dockerfile (from `build:`). A folder counts as present when the squashed stages create ' +
        'it or something below it (mkdir, WORKDIR, COPY/ADD destination, VOLUME), when it is a standard system folder, ' +
        'or when a well-known base image (postgres, mysql, redis, mongo, caddy) ships it. Bind mounts and tmpfs are not checked.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const build = ctx.facts.compose?.builds.get(svc.name);
      const df = build?.parsed;
      const view = df ? modelOf(df).finalImage(build.target) : undefined;
      if (!df || !view?.squash || !Array.isArray(svc.value.volumes)) continue;
      const created = createdPaths(view.fsStages);
      const base = imageName(view.baseImage);
      const known = view.baseImage === 'scratch' ? [] : [...STANDARD, ...IMAGE_DIRS.filter(([re]) => re.test(base)).flatMap(([, d]) => d)];
      const seq = nodeOf(svc, 'volumes');
      svc.value.volumes.forEach((entry, i) => {
        const m = parseMount(entry);
        if (!m || m.type !== 'volume' || !m.target?.startsWith('/') || m.target.includes('$')) return;
        const target = clean(m.target);
        const present = [...created, ...known].some((c) => c === target || c.startsWith(target + '/'));
        if (present) return;
        const node = isSeq(seq) ? (seq.items[i] as Node) : undefined;
        if (!node) return;
        ctx.report({
          range: ctx.parsed.range(node),
          message: `Service \`${svc.name}\` mounts a volume at \`${target}\`, which its squashed image does not contain; create it with \`mkdir -p\` in the stage that is copied into scratch.`,
        });
      });
    }
  },
};

export default rule;
