// Editor surfaces of image analysis on Dockerfiles: a code lens per instruction with the bytes its layer added
// in the newest image built from the file, and a diagnostic on the final FROM when that image is over budget.

import * as path from 'node:path';
import { DiagnosticSeverity, type CodeLens, type Diagnostic } from 'vscode-languageserver/node';
import { imageRuleSeverity } from '../docker/checks';
import { docsUrl } from '../engine/meta';
import type { Severity } from '../engine/types';
import { RULES_BY_ID } from '../engine/linter';
import type { DocumentStore } from '../documents';
import { uriToPath } from '../documents';
import { attributeHistory, targetStage } from '../docker/history';
import type { AnalyzedImage } from '../docker/images';
import { formatSize } from '../docker/size';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { SOURCE } from '../protocol';

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

/** Lenses for an open Dockerfile, attributed against its current text so they follow unsaved edits. */
export function dockerfileLenses(docs: DocumentStore, uri: string, images: AnalyzedImage[]): CodeLens[] {
  const file = uriToPath(uri);
  const parsed = currentParse(docs, uri);
  if (!file || !parsed) return [];
  const image = newestFor(images, file);
  if (!image) return [];
  const entries = attributeHistory(image.layers, parsed, image.mapping.target);
  const byLine = new Map<number, { bytes: number; base: boolean; count: number }>();
  for (const e of entries) {
    if (!e.instr) continue;
    const line = e.instr.range.start.line;
    const prev = byLine.get(line) ?? { bytes: 0, base: e.base, count: 0 };
    byLine.set(line, { bytes: prev.bytes + e.size, base: e.base, count: prev.count + 1 });
  }
  const lenses: CodeLens[] = [];
  for (const [line, v] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const title = v.base ? `base image: ${formatSize(v.bytes)} (${v.count} layer${v.count === 1 ? '' : 's'}) in ${image.ref}`
      : v.bytes > 0 ? `layer: ${formatSize(v.bytes)} in ${image.ref}` : `no bytes added in ${image.ref}`;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    lenses.push({ range, command: { title, command: LENS_COMMAND, arguments: [] } });
  }
  return lenses;
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

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
  const stage = targetStage(parsed, image.mapping.target);
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
