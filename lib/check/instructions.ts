/**
 * Compiles one operation's flattened instructions (program.ts) for a process:
 * expressions become closures over the packed state, lock uses resolve to
 * lock keys, and each instruction learns whether it touches only locals (so it
 * may run merged with the step before it). The result is a union keyed by
 * `kind`; executor.ts runs it.
 */
import type { AnalyzedStep, LockUse, LValue } from '../model/analyzed';
import { readsShared, type Type, type Typed } from '../model/expr/types';
import { unreachable } from '../model/walk';
import type { Eval } from './compile-expr';
import { compileUpdate, type CompiledUpdate } from './exec-update';
import { END, flatten, type Instr, type InstrKind, type InstrOf } from './program';
import type { CompiledLockUse, LockKey } from './system';

/** The field a write or cas updates, compiled: its instance expression and the field's offset in the instance. */
export interface CompiledTarget {
  instance: Eval;
  /** The instance expression itself (specialize.ts folds a parameter or a named instance to a constant slot). */
  object: Typed;
  offset: number;
  field: string;
  resource: string;
  type: Type;
  isState: boolean;
}

type Compiled<K extends InstrKind, Payload> = InstrOf<K> &
  Payload & {
    /** Whether the step reads or writes nothing shared and so can run with the step before it. */
    local: boolean;
  };

/** One instruction with its expressions compiled to closures: a union keyed by `kind`, like `Instr`. */
export type CompiledInstr =
  | Compiled<'read', { slot: number; expr: Eval }>
  | Compiled<'branch', { cond: Eval }>
  | Compiled<'await', { cond: Eval }>
  | Compiled<'require', { cond: Eval }>
  | Compiled<'assert', { cond: Eval }>
  | Compiled<'write', { target: CompiledTarget; value: Eval; fence: CompiledLockUse | null }>
  /** `from`: the accepted current values. */
  | Compiled<'cas', { target: CompiledTarget; from: number[]; to: number }>
  /** `update`: conditions, sets and the failedAs slot (exec-update.ts). */
  | Compiled<'update', { update: CompiledUpdate }>
  /** `body`: the block's steps as their own program (pcs from 0, END when done), run in one transition. */
  | Compiled<'atomic', { body: CompiledInstr[] }>
  /** `keySlot` (-1: none): for a `with` whose key may change, where its acquire records the instance it locked (+1). */
  /** `timeout`: may give up (→ `alt`) while the lock is taken, like `try` but logged as a timeout. */
  | Compiled<'acquire', { lock: CompiledLockUse; shared: boolean; try: boolean; timeout: boolean; keySlot: number }>
  | Compiled<'release', { lock: CompiledLockUse; keySlot: number }>
  | Compiled<'call', object>
  | Compiled<'until', { cond: Eval }>
  | Compiled<'abort', object>
  | Compiled<'return', object>;

/** What compiling a process's instructions needs from the system compiler. */
export interface InstructionContext {
  ev: (e: Typed) => Eval;
  target: (lv: LValue) => CompiledTarget;
  lockUse: (use: LockUse) => CompiledLockUse;
  /** Whether the lock (under the scenario's overrides) hands out fencing tokens. */
  fencing: (lock: string) => boolean;
  lockKeysOf: (lock: string) => LockKey[];
  /** Local name → slot. */
  locals: Map<string, number>;
  /** `with` step → slot remembering which instance (+1) it locked, for a `with` whose key may change. */
  withKeys: Map<AnalyzedStep, number>;
  /** Whether local-only steps may be merged into the step before them. */
  merge: boolean;
  /** Whether `mayFail` calls can fail in this scenario. */
  callsCanFail: boolean;
  /** Whether crashes or lease expiries are on: then a step that can end the process stays visible. */
  endsObservable: boolean;
}

/** The process's program: its steps flattened and compiled, pc by pc. */
export function compileInstructions(steps: AnalyzedStep[], ctx: InstructionContext): CompiledInstr[] {
  const { ev, target, lockUse } = ctx;
  const compile = (instr: Instr): CompiledInstr => uniform(compileKind(instr));
  const compileKind = (instr: Instr): CompiledInstr => {
    switch (instr.kind) {
      case 'read':
        return { ...instr, local: false, slot: ctx.locals.get(instr.step.local)!, expr: ev(instr.step.expr) };
      case 'branch':
      case 'await':
      case 'require':
      case 'assert':
        return { ...instr, local: false, cond: ev(instr.step.cond) };
      case 'write': {
        const step = instr.step;
        // Under a scenario override without fencing tokens the write cannot be fenced: it runs unfenced (and is judged by stale-write).
        const fence = step.fencedBy && ctx.fencing(step.fencedBy.lock) ? lockUse(step.fencedBy) : null;
        return { ...instr, local: false, target: target(step.target), value: ev(step.value), fence };
      }
      case 'cas':
        return { ...instr, local: false, target: target(instr.step.target), from: instr.step.from, to: instr.step.to };
      case 'update':
        return { ...instr, local: false, update: compileUpdate(instr.step, ctx) };
      case 'atomic':
        return { ...instr, local: false, body: flatten(instr.step.steps).map(compile) };
      case 'acquire': {
        const step = instr.step;
        const keySlot = step.kind === 'with' ? (ctx.withKeys.get(step) ?? -1) : -1;
        const timeout = step.kind === 'acquire' && step.timeout !== null;
        return { ...instr, local: false, lock: lockUse(step), shared: step.shared, try: step.kind === 'acquire' && step.try, timeout, keySlot };
      }
      case 'release': {
        const step = instr.step;
        const keySlot = step.kind === 'with' ? (ctx.withKeys.get(step) ?? -1) : -1;
        if (keySlot < 0) return { ...instr, local: false, lock: lockUse(step), keySlot };
        // Release what the block acquired, whatever its key expression says now.
        const byInstance = new Map(ctx.lockKeysOf(step.lock).map((k) => [k.instance, k]));
        return { ...instr, local: false, lock: { lockName: step.lock, keyOf: (s) => byInstance.get(s[keySlot] - 1)! }, keySlot };
      }
      case 'call':
      case 'abort':
      case 'return':
        return { ...instr, local: false };
      case 'until':
        return { ...instr, local: false, cond: ev(instr.step.until!) };
      default:
        return unreachable(instr, 'instruction');
    }
  };
  /** Whether a step reads or writes nothing shared (and cannot fail by a fault), so it may run with the step before it. */
  const touchesOnlyLocals = (instr: Instr): boolean => {
    switch (instr.kind) {
      case 'read':
        return !readsShared(instr.step.expr);
      case 'branch':
      case 'require':
      case 'assert':
        return !readsShared(instr.step.cond);
      case 'call':
        return !(instr.step.mayFail && ctx.callsCanFail);
      case 'until':
        return !readsShared(instr.step.until!);
      case 'abort':
      case 'return':
        return instr.withs.length === 0;
      case 'await':
      case 'write':
      case 'cas':
      case 'update':
      case 'atomic':
      case 'acquire':
      case 'release':
        return false;
      default:
        return unreachable(instr, 'instruction');
    }
  };
  const canEnd = (instr: Instr) =>
    instr.kind === 'abort' || instr.kind === 'return' || instr.kind === 'require' || instr.next === END || (instr.kind === 'branch' && instr.alt === END);
  return flatten(steps).map((instr): CompiledInstr => {
    const compiled = compile(instr);
    // A process that ends inside a merged run loses the chance to crash (or have a lease expire) just
    // before it ends, which is observable: a crash starts recovery and applies the lock's crash rule.
    // With those faults on, a step that can end the process stays a visible one.
    // A loop head is always visible: a loop of local steps must take one transition per round, not spin inside one.
    compiled.local = ctx.merge && touchesOnlyLocals(instr) && !instr.loopHead && !(ctx.endsObservable && canEnd(instr));
    return compiled;
  });
}

/**
 * Gives every instruction the same fields in the same order (absent ones
 * empty), so V8 sees one object shape and the executor's reads of `kind`,
 * `next`, `cond` … stay monomorphic: with a shape per kind they went
 * megamorphic, a measurable share of the explorer's time.
 */
function uniform(instr: CompiledInstr): CompiledInstr {
  const blank = {
    pc: 0, kind: '', step: null, next: 0, alt: 0, withs: null, closesWith: false, local: false,
    slot: -1, expr: null, cond: null, target: null, value: null, fence: null, from: null, to: 0,
    body: null, update: null, lock: null, shared: false, try: false, timeout: false, keySlot: -1, loopHead: false,
  };
  return Object.assign(blank, instr) as unknown as CompiledInstr;
}

