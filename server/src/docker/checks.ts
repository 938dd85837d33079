// Runs the image rules (server/src/rules/image/*: OCI version label, non-root user, secret-looking Env values,
// secret files in any layer, a HEALTHCHECK, the size budget) over one built image. Severities come from the
// workspace's `.hullcheck.yaml` `rules:` like lint rules; each finding names the Dockerfile line responsible
// when the image's history can be tied to its Dockerfile.

import * as path from 'node:path';
import type Docker from 'dockerode';
import { effectiveSeverity } from '../engine/linter';
import { docsUrl } from '../rules/ruleDocs';
import { INTERNAL_ERROR_RULE, type Finding } from '../core/findings';
import { type ImageRule, type RuleContext } from '../rules/context';
import { type ResolvedConfig } from '../config/resolvedConfig';
import { type RuleMeta } from '../core/ruleMeta';
import { RULES } from '../rules';
import { buildSteps, targetStage } from '../model/imageHistory';
import type { AnalyzedImage } from './images';
import { isNoLine, NO_LINE, type ImageSubject } from './imageSubject';
import type { SaveAnalysis } from './layers';

/** The image rules of the registry, in id order; ids are part of the public contract like lint rule ids. */
export const IMAGE_RULES: ImageRule[] = RULES.filter((r): r is ImageRule => r.meta.language === 'image')
  .sort((a, b) => a.meta.id.localeCompare(b.meta.id));

/** A finding about an image; `file` is the image reference, `dockerfile` the file the range points into. */
export interface ImageFinding extends Finding {
  file: string;
  dockerfile?: string;
  /** The rule's documentation page. */
  url: string;
}

export interface ImageCheckInput {
  image: AnalyzedImage;
  inspect: Docker.ImageInspectInfo;
  /** The save analysis; without it the secret-file check is skipped. */
  save?: SaveAnalysis;
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

export function checkImage(input: ImageCheckInput): ImageFinding[] {
  const { image, inspect } = input;
  const config = input.config ?? image.mapping.config ?? DEFAULT_CONFIG;
  const subject: ImageSubject = {
    image, inspect, save: input.save,
    config: inspect.Config ?? ({} as NonNullable<Docker.ImageInspectInfo['Config']>),
    budget: input.budget ?? image.mapping.budget?.bytes,
    from: image.parsed ? targetStage(image.parsed, image.mapping.target)?.from : undefined,
    steps: image.parsed ? buildSteps(image.parsed, image.mapping.target).steps : [],
  };
  const out: ImageFinding[] = [];
  for (const rule of IMAGE_RULES) {
    const { id } = rule.meta;
    if (input.only && !input.only.includes(id)) continue;
    const severity = effectiveSeverity(rule.meta, config);
    if (!severity) continue;
    const report: RuleContext<ImageSubject>['report'] = (f) => {
      const inFile = !isNoLine(f.range) && image.mapping.dockerfile ? image.mapping.dockerfile : undefined;
      // the location goes into the message too: JSON and text consumers only see the image reference as `file`
      const where = isNoLine(f.range) ? '' : ` (${inFile ? `${shortPath(inFile)}:` : 'line '}${f.range.start.line + 1})`;
      out.push({
        file: image.ref, rule: id, severity: f.severity ?? severity, message: f.message + where, range: f.range,
        fixes: f.fixes ?? [], dockerfile: inFile, url: docsUrl(id),
      });
    };
    try {
      rule.check({ file: image.ref, parsed: subject, facts: {}, options: { ...(config.rules[id]?.options ?? {}) }, config, report });
    } catch (e) {
      // one broken check must not hide the others' findings
      const err = e as Error;
      input.log?.(`image rule ${id} failed on ${image.ref}: ${err.stack ?? err.message}`);
      out.push({
        file: image.ref, rule: INTERNAL_ERROR_RULE, severity: 'error', message: `Internal error in rule ${id}: ${err.message}. Other rules still ran.`,
        range: NO_LINE, fixes: [], url: docsUrl(id),
      });
    }
  }
  return out;
}

function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
