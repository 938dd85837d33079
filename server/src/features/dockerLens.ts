// Editor surfaces of image analysis on Dockerfiles: a code lens on the instructions whose layers add bytes (their
// share of the image), one summary lens on the final FROM (size, budget, growth since the recorded size), and a
// diagnostic on the final FROM when the newest image built from the file is over budget.

import * as path from 'node:path';
import { DiagnosticSeverity, type CodeLens, type Diagnostic } from 'vscode-languageserver/node';
import { imageRuleSeverity } from '../engine/imageRules';
import { docsUrl } from '../rules/ruleDocs';
import type { Severity } from '../core/findings';
import { RULES_BY_ID } from '../engine/linter';
import type { DocumentStore } from './documents';
import { uriToPath } from './documents';
import { attributeHistory } from '../model/imageHistory';
import { modelOf } from '../model/dockerfile/model';
import type { AnalyzedImage } from '../docker/images';
import { recordedKey, type RecordedSizes } from '../docker/recordedSizes';
import { formatSize, sinceRecorded } from '../core/size';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { SOURCE, type LensSizes } from '../protocol/messages';

/** The command a lens runs: focus the Image Budgets view. */
export const LENS_COMMAND = 'hullcheck.imageBudgets.focus';

/** The newest analysed image built from a Dockerfile path. */
export function newestFor(images: AnalyzedImage[], file: string): AnalyzedImage | undefined {
  const wanted = path.resolve(file);
  return images.filter((i) => i.mapping.dockerfile && path.resolve(i.mapping.dockerfile) === wanted)
    .sort((a, b) => b.created - a.created)[0];
}

function currentParse(docs: DocumentStore, uri: string): ParsedDockerfile | undefined {
  const doc = docs.get(uri);
  if (!doc) return undefined;
  const entry = docs.parsedOf(doc);
  return entry?.language === 'dockerfile' ? entry.parsed as ParsedDockerfile | undefined : undefined;
}

/** The share of the image below which `large` leaves a layer without a lens. */
const LARGE_SHARE = 0.01;

function share(bytes: number, total: number): string {
  if (total <= 0) return '';
  const pct = (bytes / total) * 100;
  return ` · ${pct >= 1 ? Math.round(pct) : pct < 0.1 ? '< 0.1' : pct.toFixed(1)} % of image`;
}

/** The summary on the final FROM: the image size, its budget, and its growth since a recorded size. */
function summaryTitle(image: AnalyzedImage, recorded: number | undefined): string {
  const parts = [`${image.ref}: ${formatSize(image.size)}`];
  const budget = image.mapping.budget;
  if (budget) parts.push(`${Math.round((image.size / budget.bytes) * 100)} % of its ${budget.text} budget`);
  if (recorded !== undefined) parts.push(sinceRecorded(image.size - recorded));
  return parts.join(' · ');
}

/**
 * Lenses for an open Dockerfile, attributed against its current text so they follow unsaved edits. Instructions
 * whose layers add no bytes (metadata, empty layers) get none; `recorded` is the image's recorded size, if any.
 */
export function dockerfileLenses(docs: DocumentStore, uri: string, images: AnalyzedImage[], mode: LensSizes = 'large',
  recorded?: (image: AnalyzedImage) => number | undefined): CodeLens[] {
  if (mode === 'off') return [];
  const file = uriToPath(uri);
  const parsed = currentParse(docs, uri);
  if (!file || !parsed) return [];
  const image = newestFor(images, file);
  if (!image) return [];
  const entries = attributeHistory(image.layers, parsed, image.mapping.target);
  const byLine = new Map<number, { bytes: number; base: boolean }>();
  for (const e of entries) {
    if (!e.instr) continue;
    const line = e.instr.range.start.line;
    const prev = byLine.get(line) ?? { bytes: 0, base: e.base };
    byLine.set(line, { bytes: prev.bytes + e.size, base: e.base });
  }
  const total = image.size;
  const finalFrom = modelOf(parsed).targetStage(image.mapping.target)?.from.range.start.line;
  const at = (line: number, title: string): CodeLens => ({
    range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: LENS_COMMAND, arguments: [] },
  });
  const lenses: CodeLens[] = [];
  for (const [line, v] of [...byLine].sort((a, b) => a[0] - b[0])) {
    if (line === finalFrom || v.bytes <= 0) continue;
    if (mode === 'large' && total > 0 && v.bytes < total * LARGE_SHARE) continue;
    // "312 MB · 41 % of image": the bytes this instruction's layers add (the base image's, on a FROM) and their share
    lenses.push(at(line, formatSize(v.bytes) + share(v.bytes, total)));
  }
  if (finalFrom !== undefined) {
    const base = byLine.get(finalFrom);
    const baseText = base?.base && base.bytes > 0 ? ` · base image ${formatSize(base.bytes)}${share(base.bytes, total)}` : '';
    lenses.push(at(finalFrom, summaryTitle(image, recorded?.(image)) + baseText));
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line);
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** An image's recorded size: by one of its tags, then by its service or budget key. */
export function recordedSize(sizes: RecordedSizes, image: AnalyzedImage): number | undefined {
  const key = recordedKey(sizes, [...image.tags, image.ref, image.mapping.service?.service, image.mapping.budget?.key]);
  return key === undefined ? undefined : sizes.get(key);
}

/** An error (the image-budget rule's severity) on the final FROM of an open Dockerfile whose newest image is over its budget. */
export function budgetDiagnostics(docs: DocumentStore, uri: string, images: AnalyzedImage[]): Diagnostic[] {
  const file = uriToPath(uri);
  const parsed = currentParse(docs, uri);
  if (!file || !parsed) return [];
  const image = newestFor(images, file);
  const budget = image?.mapping.budget;
  if (!image || !budget || image.size <= budget.bytes) return [];
  // the image-budget rule's setting in the image's .hullcheck.yaml applies here too
  const meta = RULES_BY_ID.get('image-budget')?.meta;
  const severity = meta ? imageRuleSeverity(meta, image.mapping.config) : 'error';
  if (!severity) return [];
  const stage = modelOf(parsed).targetStage(image.mapping.target);
  if (!stage) return [];
  const pct = Math.round((image.size / budget.bytes) * 100);
  return [{
    range: stage.from.range,
    severity: LSP_SEVERITY[severity],
    source: SOURCE,
    code: 'image-budget',
    codeDescription: { href: docsUrl('image-budget') },
    message: `${image.ref} is ${formatSize(image.size)}, ${pct}% of its ${budget.text} budget (${budget.key}); the Image Budgets view shows its largest layers.`,
  }];
}
