// What an image rule judges: one built image with its inspect data, its `docker save` analysis and the Dockerfile
// steps that made it. Image rules report ranges into that Dockerfile; NO_LINE marks a finding history cannot place.
// The shapes here are what the rules read; the Docker floor (docker/images.ts, docker/layers.ts) produces richer
// values that fit them.

import type Docker from 'dockerode';
import type { Range } from '../core/findings';
import type { ResolvedConfig } from '../config/resolvedConfig';
import type { Instr, ParsedDockerfile } from '../parse/dockerfile';

/** How an image is tied to the workspace: its service's budget, its Dockerfile and target, and the rule settings. */
export interface ImageMappingView {
  budget?: { key: string; bytes: number };
  dockerfile?: string;
  target?: string;
  /** Whether root is allowed for this image (allowRoot names the service or matches a reference). */
  allowRoot: boolean;
  /** The rule settings of the folder the image belongs to: severities of the image rules. */
  config?: ResolvedConfig;
}

/** A local image with its workspace mapping, its history entries (oldest first) and its Dockerfile's parse. */
export interface ImageView {
  ref: string;
  /** The layers unpacked, in bytes: the same quantity on the classic and the containerd image store. */
  size: number;
  mapping: ImageMappingView;
  /** History entries, oldest first, with the Dockerfile instruction of each when known. */
  layers: readonly { instr?: Instr }[];
  parsed?: ParsedDockerfile;
}

/** What the rules read of the `docker save` analysis. */
export interface SaveAnalysisView {
  /** The layers in rootfs order, each with the index of its history entry when known. */
  layers: readonly { history?: number }[];
  secretFiles: readonly { path: string; reason: string; layer: number; hidden: boolean }[];
  config?: { history?: readonly unknown[] };
}

export interface ImageSubject {
  image: ImageView;
  inspect: Docker.ImageInspectInfo;
  /** The image config from inspect (never undefined, possibly empty). */
  config: NonNullable<Docker.ImageInspectInfo['Config']>;
  /** The save analysis; rules that need the filesystem stay silent without it. */
  save?: SaveAnalysisView;
  /** The budget in bytes: the CLI's --budget, else the workspace budget of the image. */
  budget?: number;
  /** The FROM of the stage the image was built from, when its Dockerfile is known. */
  from?: Instr;
  /** The instructions that built the image, oldest first (stages it builds on included). */
  steps: Instr[];
}

/** The range of a finding that no Dockerfile line can be named for. */
export const NO_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Whether a finding's range is NO_LINE (an instruction's range always covers its keyword, so it is never empty). */
export function isNoLine(r: Range): boolean {
  return r.start.line === 0 && r.start.character === 0 && r.end.line === 0 && r.end.character === 0;
}

/** The keyword of an instruction as a finding range, or NO_LINE. */
export function rangeOf(instr: Instr | undefined): Range {
  if (!instr) return NO_LINE;
  const { start } = instr.range;
  return { start, end: { line: start.line, character: start.character + instr.keyword.length } };
}

/** The last build step matching `pred`: the one whose effect the image shows. */
export function lastStep(subject: ImageSubject, pred: (i: Instr) => boolean): Instr | undefined {
  for (let i = subject.steps.length - 1; i >= 0; i--) if (pred(subject.steps[i])) return subject.steps[i];
  return undefined;
}
