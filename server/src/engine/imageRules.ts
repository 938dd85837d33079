// Runs the image rules (server/src/rules/image/*: OCI version label, non-root user, secret-looking Env values,
// secret files in any layer, a HEALTHCHECK, the size budget) over one built image, through the same runner as the
// lint rules: severities come from the workspace's `.hullcheck.yaml` `rules:`, a failing rule becomes one
// internal-error finding, and each finding names the Dockerfile line responsible when the image's history can be
// tied to its Dockerfile.

import * as path from 'node:path';
import type Docker from 'dockerode';
import { effectiveSeverity, lintParsed, RULES_BY_ID } from './linter';
import { docsUrl } from '../rules/ruleDocs';
import { compareRuleIds, INTERNAL_ERROR_RULE, type Finding } from '../core/findings';
import type { ImageRule } from '../rules/context';
import type { ResolvedConfig } from '../config/resolvedConfig';
import type { RuleMeta } from '../core/ruleMeta';
import { RULES } from '../rules';
import { buildSteps } from '../model/imageHistory';
import { modelOf } from '../model/dockerfile/model';
import { isNoLine, type ImageSubject, type ImageView, type SaveAnalysisView } from '../model/imageSubject';

/** The image rules of the registry, in id order; ids are part of the public contract like lint rule ids. */
export const IMAGE_RULES: ImageRule[] = RULES.filter((r): r is ImageRule => r.meta.language === 'image')
  .sort((a, b) => compareRuleIds(a.meta.id, b.meta.id));

/** A finding about an image; `file` is the image reference, `dockerfile` the file the range points into. */
export interface ImageFinding extends Finding {
  file: string;
  dockerfile?: string;
  /** The rule's documentation page. */
  url: string;
}

export interface ImageCheckInput {
  image: ImageView;
  inspect: Docker.ImageInspectInfo;
  /** The save analysis; without it the secret-file check is skipped. */
  save?: SaveAnalysisView;
  /** Overrides the workspace budget (CLI --budget). */
  budget?: number;
  /** Rule settings; the image's workspace configuration when absent. */
  config?: ResolvedConfig;
  /** Restrict to these rule ids (tests). */
  only?: string[];
  log?: (message: string) => void;
}

const DEFAULT_CONFIG: ResolvedConfig = { rules: {}, allowRoot: [], enableAll: false, sources: [] };

/** The severity an image rule has under a configuration, or undefined when it is turned off. */
export function imageRuleSeverity(meta: RuleMeta, config: ResolvedConfig | undefined): ReturnType<typeof effectiveSeverity> {
  return effectiveSeverity(meta, config ?? DEFAULT_CONFIG);
}

/** The rule an internal-error finding names (its message says which rule failed). */
function failedRule(f: Finding): string {
  const id = /^Internal error in rule (\S+):/.exec(f.message)?.[1];
  return id && RULES_BY_ID.has(id) ? id : f.rule;
}

export function checkImage(input: ImageCheckInput): ImageFinding[] {
  const { image, inspect } = input;
  const config = input.config ?? image.mapping.config ?? DEFAULT_CONFIG;
  const subject: ImageSubject = {
    image, inspect, save: input.save,
    config: inspect.Config ?? ({} as NonNullable<Docker.ImageInspectInfo['Config']>),
    budget: input.budget ?? image.mapping.budget?.bytes,
    from: image.parsed ? modelOf(image.parsed).targetStage(image.mapping.target)?.from : undefined,
    steps: image.parsed ? buildSteps(image.parsed, image.mapping.target).steps : [],
  };
  const findings = lintParsed('image', image.ref, subject, { config, only: input.only, log: input.log, rules: IMAGE_RULES });
  // grouped by rule in id order, as the image rules have always been listed
  const ruleOf = (f: Finding): string => (f.rule === INTERNAL_ERROR_RULE ? failedRule(f) : f.rule);
  findings.sort((a, b) => compareRuleIds(ruleOf(a), ruleOf(b)));
  return findings.map((f) => {
    if (f.rule === INTERNAL_ERROR_RULE) return { ...f, file: image.ref, url: docsUrl(failedRule(f)) };
    const inFile = !isNoLine(f.range) && image.mapping.dockerfile ? image.mapping.dockerfile : undefined;
    // the location goes into the message too: JSON and text consumers only see the image reference as `file`
    const where = isNoLine(f.range) ? '' : ` (${inFile ? `${shortPath(inFile)}:` : 'line '}${f.range.start.line + 1})`;
    return { ...f, message: f.message + where, file: image.ref, dockerfile: inFile, url: docsUrl(f.rule) };
  });
}

function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
