// What the images of a Dockerfile are made of: the FROM <stage> chains, the stages whose files end up in an image
// (whole-filesystem copies, the `FROM scratch` squash in all its spellings), the config an image keeps, its
// HEALTHCHECK, and whether it only carries build artifacts. Read through the model (model.ts), never recomputed.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { trimTrailing } from '../../core/strings';

/** A `FROM scratch` stage that copies a whole filesystem in (`COPY --from=<src> / /` and its other spellings). */
export interface Squash {
  stage: Stage;
  copy: Instr;
  /** The stage copied from, when `--from` names a stage of this file. */
  source?: Stage;
  /** `--from` as written (a stage name, an index or an image). */
  sourceRef: string;
}

/** How the image of a stage is put together. */
export interface ImageView {
  stage: Stage;
  /** Stages whose config instructions apply to the image, root first (the FROM <stage> chain). */
  configStages: Stage[];
  /** Stages whose files end up in the image: the chain plus, recursively, whole-filesystem copies. */
  fsStages: Stage[];
  /** The external image at the bottom of the filesystem (a squash follows its source), lower-cased. */
  baseImage: string;
  /** Set when the chain's root stage is a scratch squash. */
  squash?: Squash;
  /** The HEALTHCHECK the image keeps: the last one of its config stages (a squash source's is left behind). */
  healthcheck?: Instr;
  /**
   * An image that only carries files (a `docker build --output` export): on scratch, not a squash of another
   * image, with no CMD, ENTRYPOINT or EXPOSE. It runs no service.
   */
  artifactOnly: boolean;
  /** Stages of this file the image copies some files from (`COPY --from=<stage> <paths>`), in document order. */
  copiesFrom: Stage[];
}

/** The FROM <stage> chain of a stage, root first. */
export function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.parent) { chain.unshift(s); seen.add(s); }
  return chain;
}

/**
 * The stage a `--from` value names, as BuildKit resolves it: a stage name (any stage of the file, case-insensitive)
 * or a stage index. With `before`, only stages that precede it count (what a FROM line can name).
 */
export function stageByRef(parsed: ParsedDockerfile, ref: string, before?: Stage): Stage | undefined {
  const limit = before ? before.index : parsed.stages.length;
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    return i < limit ? parsed.stages[i] : undefined;
  }
  const lower = ref.toLowerCase();
  return parsed.stages.slice(0, limit).find((s) => s.name === lower);
}

/** A COPY source that names the whole root of the source filesystem: `/`, `/.`, `/*`, `.`, `./`, `./*`, `*`. */
export function isRootSource(src: string): boolean {
  if (src === '.') return true;
  const s = trimTrailing(src.startsWith('./') ? src.slice(1) : src, '/');
  return s === '' || s === '/.' || s === '/*' || s === '*' || s === '.';
}

/** A COPY destination that is the root of the image: `/`, `//`, `/.`. */
function isRootDest(dest: string): boolean {
  const d = trimTrailing(dest, '/');
  return d === '' || d === '/.';
}

/**
 * Whether a COPY copies the whole filesystem of another stage or image: `COPY --from=x / /` and every spelling of
 * the root as source (`/*`, `.`, `./`, `/.`), with any other flags (`--link`, `--chown`, `--chmod`).
 */
export function isWholeRootCopy(instr: Instr): boolean {
  if (instr.keyword !== 'COPY' || !instr.flag('from')?.value) return false;
  const words = instr.jsonArgs ?? instr.args.map((a) => a.value);
  if (words.length < 2) return false;
  return isRootDest(words[words.length - 1]) && words.slice(0, -1).every(isRootSource);
}

/** The squash of a `FROM scratch` stage: its first whole-filesystem COPY --from. */
function squashOf(parsed: ParsedDockerfile, stage: Stage): Squash | undefined {
  if (stage.image.toLowerCase() !== 'scratch') return undefined;
  const copy = stage.instructions.find(isWholeRootCopy);
  if (!copy) return undefined;
  const sourceRef = copy.flag('from')?.value ?? '';
  const source = stageByRef(parsed, sourceRef);
  return { stage, copy, sourceRef, source: source === stage ? undefined : source };
}

/** Instructions of some stages with a keyword, in document order (ONBUILD triggers excluded). */
export function instrsOf(stages: readonly Stage[], ...keywords: string[]): Instr[] {
  return stages.flatMap((s) => s.instructions.filter((i) => keywords.includes(i.keyword)))
    .sort((a, b) => a.startOffset - b.startOffset);
}

/** The image views of a file's stages, each computed on first use (a whole-root copy may name any stage). */
export class ImageViews {
  private readonly views = new Map<Stage, ImageView>();
  private readonly pending = new Set<Stage>();

  constructor(private readonly parsed: ParsedDockerfile) {}

  of(stage: Stage): ImageView {
    let v = this.views.get(stage);
    if (!v) {
      v = this.compute(stage);
      if (!this.pending.size) this.views.set(stage, v);
    }
    return v;
  }

  private compute(stage: Stage): ImageView {
    const configStages = chainOf(stage);
    const fsStages = [...configStages];
    const copiesFrom: Stage[] = [];
    const root = configStages[0];
    const squash = squashOf(this.parsed, root);
    let baseImage = root.image.toLowerCase();
    this.pending.add(stage);
    // every whole-root copy brings another stage's files (and tools) into the image
    for (const s of configStages) {
      for (const i of s.instructions) {
        const from = i.keyword === 'COPY' ? i.flag('from')?.value : undefined;
        if (!from) continue;
        const src = stageByRef(this.parsed, from);
        if (!isWholeRootCopy(i)) {
          if (src && src !== s && !copiesFrom.includes(src)) copiesFrom.push(src);
          continue;
        }
        const isSquashCopy = squash && i === squash.copy;
        if (src && !this.pending.has(src) && !configStages.includes(src)) {
          const v = this.of(src);
          for (const f of v.fsStages) if (!fsStages.includes(f)) fsStages.push(f);
          if (isSquashCopy) baseImage = v.baseImage;
        } else if (!src && isSquashCopy) {
          baseImage = from.toLowerCase();
        }
      }
    }
    this.pending.delete(stage);
    const healthcheck = instrsOf(configStages, 'HEALTHCHECK').pop();
    const artifactOnly = baseImage === 'scratch' && instrsOf(configStages, 'CMD', 'ENTRYPOINT', 'EXPOSE').length === 0;
    return { stage, configStages, fsStages, baseImage, squash, healthcheck, artifactOnly, copiesFrom };
  }
}
