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

/** The variables visible at one point of the file. */
export class Scope {
  constructor(private readonly vars: ReadonlyMap<string, Variable>) {}
  get(name: string): Variable | undefined { return this.vars.get(name); }
  has(name: string): boolean { return this.vars.has(name); }
  /** Every visible name, declared with or without a value. */
  names(): Set<string> { return new Set(this.vars.keys()); }
  /** The value of a name, undefined when it is unset. */
  readonly lookup = (name: string): string | undefined => this.vars.get(name)?.value;
  /** Names with a value, for expansion. */
  values(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.vars) if (v.value !== undefined) out.set(k, v.value);
    return out;
  }
  variables(): Variable[] { return [...this.vars.values()]; }
}

/** The scopes of one parse, computed per stage on first use. */
export class Scopes {
  private globalScope?: Scope;
  private readonly perStage = new Map<Stage, Scope[]>();

  constructor(private readonly parsed: ParsedDockerfile) {}

  /** What FROM lines see: the platform args with stand-in values, then the global ARGs in order. */
  get global(): Scope {
    if (!this.globalScope) {
      const vars = new Map<string, Variable>();
      for (const name of PLATFORM_ARGS) vars.set(name, { name, kind: 'platform', value: PLATFORM_SAMPLE[name], raw: undefined });
      for (const instr of this.parsed.globalArgs) this.applyArg(vars, instr, undefined);
      this.globalScope = new Scope(vars);
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
    const stage = instr.stage;
    if (!stage) {
      // before the first FROM: the global ARGs declared so far (and, in a fragment without FROM, its ENVs)
      const vars = new Map<string, Variable>();
      for (const name of PLATFORM_ARGS) vars.set(name, { name, kind: 'platform', value: PLATFORM_SAMPLE[name], raw: undefined });
      for (const i of this.parsed.instructions) {
        if (i.stage || i.startOffset >= instr.startOffset) break;
        if (i.keyword === 'ARG') this.applyArg(vars, i, undefined);
        else if (i.keyword === 'ENV') this.applyEnv(vars, i);
      }
      return new Scope(vars);
    }
    const list = this.ofStage(stage);
    let k = stage.instructions.indexOf(instr);
    if (k < 0) k = stage.instructions.findIndex((i) => i.onbuild === instr);
    return list[k < 0 ? list.length - 1 : k];
  }

  /** The variables at the end of a stage: what a stage built FROM it starts with. */
  exit(stage: Stage): Scope {
    const list = this.ofStage(stage);
    return list[list.length - 1];
  }

  /** Scopes before each instruction of a stage, plus the exit scope; a scope object is shared until something changes it. */
  private ofStage(stage: Stage): Scope[] {
    let list = this.perStage.get(stage);
    if (list) return list;
    list = [];
    let current = stage.parent && stage.parent !== stage ? this.exit(stage.parent) : new Scope(new Map());
    for (const instr of stage.instructions) {
      list.push(current);
      if (instr.keyword === 'ARG' || instr.keyword === 'ENV') {
        const vars = new Map<string, Variable>();
        for (const v of current.variables()) vars.set(v.name, v);
        if (instr.keyword === 'ARG') this.applyArg(vars, instr, this.global);
        else this.applyEnv(vars, instr);
        current = new Scope(vars);
      }
    }
    list.push(current);
    this.perStage.set(stage, list);
    return list;
  }

  /** An ARG line: each name in turn, its default expanded with what precedes it (earlier names of the line too). */
  private applyArg(vars: Map<string, Variable>, instr: Instr, global: Scope | undefined): void {
    const lookup = (n: string) => vars.get(n)?.value;
    for (const a of argNames(instr, this.parsed)) {
      // an ENV of the same name keeps winning over the ARG
      if (vars.get(a.name)?.kind === 'env') continue;
      let value: string | undefined;
      if (a.value !== undefined) value = expandWord(a.value, lookup, { escapeChar: this.parsed.escapeChar }).result;
      // a bare ARG in a stage takes the global default; at global scope it keeps a platform arg's value
      else value = global ? global.get(a.name)?.value : vars.get(a.name)?.value;
      vars.set(a.name, { name: a.name, kind: 'arg', value, raw: a.value, instr });
    }
  }

  /** An ENV line: every pair is expanded with the values from before the line. */
  private applyEnv(vars: Map<string, Variable>, instr: Instr): void {
    const before = new Map(vars);
    const lookup = (n: string) => before.get(n)?.value;
    for (const p of keyedProps(this.parsed, instr)) {
      const value = expandWord(p.raw, lookup, { escapeChar: this.parsed.escapeChar }).result;
      vars.set(p.key, { name: p.key, kind: 'env', value, raw: p.raw, instr });
    }
  }
}
