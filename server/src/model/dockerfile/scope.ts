// ARG and ENV scopes as BuildKit keeps them: the global scope (the predefined platform args, then the ARGs before the
// first FROM, which FROM lines see), and per stage the variables each instruction sees. A stage starts with what its
// FROM <stage> parent ends with (ENV and ARG both carry over); a bare `ARG NAME` takes the global default; values are
// expanded as the build would, without --build-arg.

import type { Instr, ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { PLATFORM_ARGS, PLATFORM_SAMPLE, expandWord } from './expansion';
import { argNames, keyedProps } from './vars';

export interface Variable {
  name: string;
  kind: 'arg' | 'env' | 'platform';
  /** The value a build without --build-arg gives it, expanded; undefined for an ARG declared without a default. */
  value: string | undefined;
  /** The value as written (quotes kept), undefined when none is written. */
  raw: string | undefined;
  /** The declaring instruction (none for the platform args). */
  instr?: Instr;
}

/** How many declarations a scope keeps apart from its shared map before folding them in. */
const DELTA_LIMIT = 32;

/**
 * The variables visible at one point of the file. Scopes that follow each other share one map and keep only the few
 * declarations since in a short list, so a stage with thousands of ENV lines does not copy its variables per line.
 */
export class Scope {
  constructor(private readonly base: ReadonlyMap<string, Variable>, private readonly delta: readonly Variable[] = []) {}
  get(name: string): Variable | undefined {
    for (let i = this.delta.length - 1; i >= 0; i--) if (this.delta[i].name === name) return this.delta[i];
    return this.base.get(name);
  }
  has(name: string): boolean { return this.get(name) !== undefined; }
  /** Every visible name, declared with or without a value. */
  names(): Set<string> {
    const out = new Set(this.base.keys());
    for (const v of this.delta) out.add(v.name);
    return out;
  }
  /** The value of a name, undefined when it is unset. */
  readonly lookup = (name: string): string | undefined => this.get(name)?.value;
  /** Names with a value, for expansion. */
  values(): Map<string, string> {
    const out = new Map<string, string>();
    for (const v of this.variables()) if (v.value !== undefined) out.set(v.name, v.value);
    return out;
  }
  variables(): Variable[] {
    if (this.delta.length === 0) return [...this.base.values()];
    const all = new Map(this.base);
    for (const v of this.delta) all.set(v.name, v);
    return [...all.values()];
  }
  /** This scope with more declarations after it. */
  with(vars: readonly Variable[]): Scope {
    if (vars.length === 0) return this;
    const delta = [...this.delta, ...vars];
    if (delta.length <= DELTA_LIMIT) return new Scope(this.base, delta);
    const base = new Map(this.base);
    for (const v of delta) base.set(v.name, v);
    return new Scope(base);
  }
}

const EMPTY = new Scope(new Map());

function platformScope(): Scope {
  return new Scope(new Map([...PLATFORM_ARGS].map((name) => [name, { name, kind: 'platform', value: PLATFORM_SAMPLE[name], raw: undefined } as Variable])));
}

/** The scopes of one parse, computed per stage on first use. */
export class Scopes {
  private globalScope?: Scope;
  private readonly perStage = new Map<Stage, Scope>();
  private readonly beforeInstr = new Map<Instr, Scope>();

  constructor(private readonly parsed: ParsedDockerfile) {}

  /** What FROM lines see: the platform args with stand-in values, then the global ARGs in order. */
  get global(): Scope {
    if (!this.globalScope) {
      let scope = platformScope();
      for (const instr of this.parsed.globalArgs) scope = this.applyArg(scope, instr, undefined);
      this.globalScope = scope;
    }
    return this.globalScope;
  }

  /** The global ARGs the file declares (not the platform args it does not mention). */
  globalDeclared(): Set<string> {
    const out = new Set<string>();
    for (const instr of this.parsed.globalArgs) for (const a of argNames(instr, this.parsed)) out.add(a.name);
    return out;
  }

  /** The variables an instruction sees (for an ONBUILD trigger, those of its ONBUILD line). */
  before(instr: Instr): Scope {
    const stage = instr.stage ?? this.parsed.instructions.find((i) => i.onbuild === instr)?.stage;
    if (!stage) {
      // before the first FROM: the global ARGs declared so far (and, in a fragment without FROM, its ENVs)
      let scope = platformScope();
      for (const i of this.parsed.instructions) {
        if (i.stage || i.startOffset >= instr.startOffset) break;
        if (i.keyword === 'ARG') scope = this.applyArg(scope, i, undefined);
        else if (i.keyword === 'ENV') scope = this.applyEnv(scope, i);
      }
      return scope;
    }
    this.exit(stage);
    return this.beforeInstr.get(instr) ?? this.exit(stage);
  }

  /** The variables at the end of a stage: what a stage built FROM it starts with. */
  exit(stage: Stage): Scope {
    let scope = this.perStage.get(stage);
    if (scope) return scope;
    scope = stage.parent && stage.parent !== stage ? this.exit(stage.parent) : EMPTY;
    for (const instr of stage.instructions) {
      this.beforeInstr.set(instr, scope);
      if (instr.onbuild) this.beforeInstr.set(instr.onbuild, scope);
      if (instr.keyword === 'ARG') scope = this.applyArg(scope, instr, this.global);
      else if (instr.keyword === 'ENV') scope = this.applyEnv(scope, instr);
    }
    this.perStage.set(stage, scope);
    return scope;
  }

  /** An ARG line: each name in turn, its default expanded with what precedes it (earlier names of the line too). */
  private applyArg(scope: Scope, instr: Instr, global: Scope | undefined): Scope {
    for (const a of argNames(instr, this.parsed)) {
      // an ENV of the same name keeps winning over the ARG
      if (scope.get(a.name)?.kind === 'env') continue;
      let value: string | undefined;
      if (a.value !== undefined) value = expandWord(a.value, scope.lookup, { escapeChar: this.parsed.escapeChar }).result;
      // a bare ARG in a stage takes the global default; at global scope it keeps a platform arg's value
      else value = global ? global.get(a.name)?.value : scope.get(a.name)?.value;
      scope = scope.with([{ name: a.name, kind: 'arg', value, raw: a.value, instr }]);
    }
    return scope;
  }

  /** An ENV line: every pair is expanded with the values from before the line. */
  private applyEnv(scope: Scope, instr: Instr): Scope {
    return scope.with(keyedProps(this.parsed, instr).map((p) => ({
      name: p.key, kind: 'env' as const, value: expandWord(p.raw, scope.lookup, { escapeChar: this.parsed.escapeChar }).result, raw: p.raw, instr,
    })));
  }
}
