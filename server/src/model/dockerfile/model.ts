// The Dockerfile model: what one parse means, built once per parse and read by every rule, the layer attribution,
// the budgets, the code lenses and the smoke test. Stages and their FROM chains, what each image contains and which
// config it keeps (imageViews.ts), the RUN instructions with their shell, mounts and heredocs (runs.ts), and the
// ARG/ENV scopes with BuildKit's expansion (scope.ts, expansion.ts). Each part is computed on first use.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { ImageViews, chainOf, type ImageView } from './imageViews';
import { computeRuns, type RunInfo } from './runs';
import { Scopes, type Scope } from './scope';

export interface DockerfileModel {
  readonly parsed: ParsedDockerfile;
  /** The FROM <stage> chain of a stage, root first. */
  chain(stage: Stage): Stage[];
  /** The stage an image built with `--target` ends with (the last stage without one, or for an unknown name). */
  targetStage(target?: string): Stage | undefined;
  /** What the image of a stage is made of and which config it keeps. */
  image(stage: Stage): ImageView;
  /** The image the build produces: the last stage's, or the target's. */
  finalImage(target?: string): ImageView | undefined;
  /** Every RUN (ONBUILD RUN included), in document order. */
  readonly runs: readonly RunInfo[];
  /** The shell-form RUNs whose shell is POSIX. */
  readonly posixRuns: readonly RunInfo[];
  /** What FROM lines see: the platform args and the global ARGs. */
  readonly globalScope: Scope;
  /** The global ARG names the file declares. */
  readonly globalArgNames: ReadonlySet<string>;
  /** The ARG/ENV variables an instruction sees. */
  scopeBefore(instr: Instr): Scope;
  /** The ARG/ENV variables at the end of a stage. */
  scopeAtEnd(stage: Stage): Scope;
}

class Model implements DockerfileModel {
  private readonly views: ImageViews;
  private readonly scopes: Scopes;
  private _runs?: RunInfo[];
  private _posixRuns?: RunInfo[];
  private _globalNames?: Set<string>;

  constructor(readonly parsed: ParsedDockerfile) {
    this.views = new ImageViews(parsed);
    this.scopes = new Scopes(parsed);
  }

  chain(stage: Stage): Stage[] { return this.image(stage).configStages; }

  targetStage(target?: string): Stage | undefined {
    return target ? this.parsed.stageByName(target) ?? this.parsed.finalStage : this.parsed.finalStage;
  }

  image(stage: Stage): ImageView { return this.views.of(stage); }

  finalImage(target?: string): ImageView | undefined {
    const stage = this.targetStage(target);
    return stage ? this.image(stage) : undefined;
  }

  get runs(): readonly RunInfo[] { return (this._runs ??= computeRuns(this.parsed)); }

  get posixRuns(): readonly RunInfo[] { return (this._posixRuns ??= this.runs.filter((r) => r.posix && !r.exec)); }

  get globalScope(): Scope { return this.scopes.global; }

  get globalArgNames(): ReadonlySet<string> { return (this._globalNames ??= this.scopes.globalDeclared()); }

  scopeBefore(instr: Instr): Scope { return this.scopes.before(instr); }

  scopeAtEnd(stage: Stage): Scope { return this.scopes.exit(stage); }
}

const MODELS = new WeakMap<ParsedDockerfile, DockerfileModel>();

/** The model of a parse: built on first use and kept as long as the parse is. */
export function modelOf(parsed: ParsedDockerfile): DockerfileModel {
  let m = MODELS.get(parsed);
  if (!m) { m = new Model(parsed); MODELS.set(parsed, m); }
  return m;
}

export { chainOf };
export type { ImageView, RunInfo, Scope };
