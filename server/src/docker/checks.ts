// Image checks over a built image: OCI version label, non-root user, secret-looking Env values, secret files in
// any layer, a HEALTHCHECK, and the size budget. Each finding points at the Dockerfile line responsible when
// the image's history can be tied to its Dockerfile.

import * as path from 'node:path';
import type Docker from 'dockerode';
import type { Finding, Range, Severity } from '../engine/types';
import type { Instr } from '../parse/dockerfile';
import { isSecretName, maskSecret } from '../rules/secrets';
import { buildSteps, targetStage } from './history';
import type { AnalyzedImage } from './images';
import type { SaveAnalysis } from './layers';
import { formatSize } from './size';

export interface ImageRuleMeta { id: string; title: string; severity: Severity }

/** The image checks; ids are part of the public contract like lint rule ids. */
export const IMAGE_RULES: ImageRuleMeta[] = [
  { id: 'image-oci-version-label', title: 'Label the image with org.opencontainers.image.version', severity: 'warning' },
  { id: 'image-non-root', title: 'Run the image as a non-root user', severity: 'warning' },
  { id: 'image-secret-env', title: 'Keep secret values out of the image environment', severity: 'error' },
  { id: 'image-secret-file', title: 'Keep secret files out of every image layer', severity: 'error' },
  { id: 'image-healthcheck', title: 'Give the image a HEALTHCHECK', severity: 'error' },
  { id: 'image-budget', title: 'Keep the image within its size budget', severity: 'error' },
];
const SEVERITY = new Map(IMAGE_RULES.map((r) => [r.id, r.severity]));

/** A finding about an image; `file` is the image reference, `dockerfile` the file the range points into. */
export interface ImageFinding extends Finding {
  file: string;
  dockerfile?: string;
}

export interface ImageCheckInput {
  image: AnalyzedImage;
  inspect: Docker.ImageInspectInfo;
  /** The save analysis; without it the secret-file check is skipped. */
  save?: SaveAnalysis;
  /** Overrides the workspace budget (CLI --budget). */
  budget?: number;
}

/** Values that only stand in for a secret (test fixtures, templates). */
const PLACEHOLDER = /^(|changeme|change-me|dummy|test|example|placeholder|xxx+|\*+|<[^>]*>)$|not-real|do-not-use|placeholder|example/i;
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ROOT_USERS = new Set(['', 'root', '0']);

export function checkImage(input: ImageCheckInput): ImageFinding[] {
  const { image, inspect, save } = input;
  const out: ImageFinding[] = [];
  const cfg = inspect.Config ?? ({} as Docker.ImageInspectInfo['Config']);
  const stage = image.parsed ? targetStage(image.parsed, image.mapping.target) : undefined;
  const steps = image.parsed ? buildSteps(image.parsed, image.mapping.target).steps : [];
  const fromLine = stage?.from;
  const lastStep = (pred: (i: Instr) => boolean) => [...steps].reverse().find(pred);
  const report = (rule: string, message: string, instr?: Instr) => {
    const where = instr ? ` (${image.mapping.dockerfile ? `${shortPath(image.mapping.dockerfile)}:` : 'line '}${instr.range.start.line + 1})` : '';
    out.push({
      file: image.ref, rule, severity: SEVERITY.get(rule) ?? 'warning', message: message + where, fixes: [],
      range: instr ? { start: instr.range.start, end: { line: instr.range.start.line, character: instr.range.start.character + instr.keyword.length } } : ZERO,
      dockerfile: instr ? image.mapping.dockerfile : undefined,
    });
  };

  const labels = cfg.Labels ?? {};
  if (!labels['org.opencontainers.image.version']) {
    report('image-oci-version-label', 'The image has no org.opencontainers.image.version label; add `ARG VERSION=dev` and `LABEL org.opencontainers.image.version="${VERSION}"` to the final stage.', fromLine);
  }

  const user = (cfg.User ?? '').trim();
  const userName = user.split(':')[0];
  if (ROOT_USERS.has(userName) && !image.mapping.allowRoot) {
    const userInstr = lastStep((i) => i.keyword === 'USER');
    const msg = user ? `The image runs as ${user}; switch to an unprivileged user with USER, or list the image in allowRoot when root is needed.`
      : 'The image sets no USER, so it runs as root; add an unprivileged user and a USER instruction, or list the image in allowRoot.';
    report('image-non-root', msg, userInstr ?? fromLine);
  }

  for (const kv of cfg.Env ?? []) {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    const value = eq < 0 ? '' : kv.slice(eq + 1);
    if (!isSecretName(key) || PLACEHOLDER.test(value)) continue;
    const envInstr = lastStep((i) => i.keyword === 'ENV' && new RegExp(`(^|\\s)${escapeRe(key)}(=|\\s)`).test(i.argsText));
    report('image-secret-env', `The image environment holds a value for ${key} (${maskSecret(value)}); pass it at run time or mount it as a secret instead of baking it in.`, envInstr);
  }

  if (save) {
    const byHistory = image.layers;
    for (const f of save.secretFiles) {
      const hist = save.layers[f.layer]?.history;
      const instr = hist !== undefined && byHistory.length === (save.config?.history?.length ?? -1) ? byHistory[hist]?.instr : undefined;
      const state = f.hidden ? ' It is deleted or replaced by a later layer but still stored in the image.' : '';
      report('image-secret-file', `The image contains ${f.path}, ${f.reason}.${state} Exclude it in .dockerignore or use a build secret.`, instr);
    }
  }

  const test = (cfg as { Healthcheck?: { Test?: string[] } }).Healthcheck?.Test;
  if (!test || test.length === 0) {
    report('image-healthcheck', 'The image defines no HEALTHCHECK, so the engine cannot tell when it is ready; add one to the final stage (or `HEALTHCHECK NONE` to opt out).', fromLine);
  }

  const budget = input.budget ?? image.mapping.budget?.bytes;
  if (budget !== undefined && inspect.Size > budget) {
    const pct = Math.round((inspect.Size / budget) * 100);
    report('image-budget', `The image is ${formatSize(inspect.Size)}, ${pct}% of its ${formatSize(budget)} budget; see the largest layers with \`hullcheck budgets\`.`, fromLine);
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
