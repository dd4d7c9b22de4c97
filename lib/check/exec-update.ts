/**
 * The `update` step (Cinder's conditional_update) in the checker: one atomic
 * step that tests the row's expected values (in order), then the filters (in
 * order), and when all hold writes every `set` value computed from the state
 * as it was before the update (SQL semantics). When one fails: onFail (with
 * the first failing condition's index in the failedAs local), else skip,
 * abort, or — for retry — the step is not enabled until it matches.
 */
import type { AnalyzedStep } from '../model/analyzed';
import type { Type } from '../model/expr/types';
import type { Eval } from './compile-expr';
import type { CompiledInstr, CompiledTarget, InstructionContext } from './instructions';
import type { Runtime } from './runtime';
import type { Outcome } from './executor';
import type { System } from './system';

type UpdateStep = Extract<AnalyzedStep, { kind: 'update' }>;
type UpdateInstr = Extract<CompiledInstr, { kind: 'update' }>;

export interface CompiledUpdate {
  /** Where conditions: the row's field against its expected value(s). */
  wheres: Array<{ name: string; target: CompiledTarget; op: '==' | '!=' | 'in' | 'not in'; values: Eval[] }>;
  filters: Array<{ name: string; cond: Eval }>;
  sets: Array<{ target: CompiledTarget; value: Eval }>;
  /** The failedAs local's slot (-1: none). */
  failSlot: number;
  /** The new values, computed before any is written. */
  scratch: Int32Array;
  /** The instance updated (for trace text). */
  instance: Eval;
}

export function compileUpdate(step: UpdateStep, ctx: InstructionContext): CompiledUpdate {
  return {
    wheres: step.expected.map((w) => ({
      name: w.target.field,
      target: ctx.target(w.target),
      op: w.op,
      values: w.values.map(ctx.ev),
    })),
    filters: step.filters.map((f) => ({ name: f.name, cond: ctx.ev(f.cond) })),
    sets: step.set.map((s) => ({ target: ctx.target(s.target), value: ctx.ev(s.value) })),
    failSlot: step.failedAs !== null && step.onFail ? (ctx.locals.get(step.failedAs) ?? -1) : -1,
    scratch: new Int32Array(step.set.length),
    instance: ctx.ev(step.instance),
  };
}

/** The current value of a compiled target (the field of the instance its expression denotes). */
export function fieldValue(target: CompiledTarget, s: Int32Array, system: System): number {
  return s[system.instances[target.instance(s)].base + target.offset];
}

function whereHolds(w: CompiledUpdate['wheres'][number], s: Int32Array, system: System): boolean {
  const current = fieldValue(w.target, s, system);
  switch (w.op) {
    case '==':
      return current === w.values[0](s);
    case '!=':
      return current !== w.values[0](s);
    case 'in':
    case 'not in': {
      let found = false;
      for (let i = 0; i < w.values.length && !found; i++) found = w.values[i](s) === current;
      return w.op === 'in' ? found : !found;
    }
  }
}

/** The index of the first failing condition (where conditions, then filters), or -1 when every one holds. */
export function firstFailing(u: CompiledUpdate, s: Int32Array, system: System): number {
  for (let i = 0; i < u.wheres.length; i++) if (!whereHolds(u.wheres[i], s, system)) return i;
  for (let i = 0; i < u.filters.length; i++) if (u.filters[i].cond(s) === 0) return u.wheres.length + i;
  return -1;
}

/** Whether the update can run: a `retry` update waits until its conditions hold. */
export function updateEnabled(instr: UpdateInstr, s: Int32Array, system: System): boolean {
  return instr.step.else !== 'retry' || instr.step.onFail !== null || firstFailing(instr.update, s, system) < 0;
}

/** What exec-update needs from the executor. */
export interface UpdateHost {
  readonly system: System;
  readonly logging: boolean;
  event(kind: 'cas' | 'write', text: string): void;
  format(value: number, type: Type): string;
  write(rt: Runtime, target: CompiledTarget, value: number, s: Int32Array): Outcome | 'rejected';
  goto(rt: Runtime, s: Int32Array, pc: number, instr: CompiledInstr, failure: string): Outcome;
}

export function execUpdate(h: UpdateHost, rt: Runtime, instr: UpdateInstr, s: Int32Array): Outcome {
  const u = instr.update;
  const step = instr.step;
  const failed = firstFailing(u, s, h.system);
  if (failed < 0) {
    // Every value from the row as it was: `set a = b, b = a` swaps.
    for (let i = 0; i < u.sets.length; i++) u.scratch[i] = u.sets[i].value(s);
    if (h.logging) h.event('cas', `update ${instanceName(h, u, s)}: ${conditionCount(u)}`);
    for (let i = 0; i < u.sets.length; i++) {
      const result = h.write(rt, u.sets[i].target, u.scratch[i], s); // unfenced: never rejected
      if (result !== null && result !== 'rejected') return result;
    }
    return h.goto(rt, s, instr.next, instr, '');
  }
  if (step.onFail) {
    if (u.failSlot >= 0) s[u.failSlot] = failed;
    if (h.logging) h.event('cas', `update ${instanceName(h, u, s)} failed: ${failureText(h, u, failed, s)}${step.failedAs ? ` (${step.failedAs} = ${step.conditions[failed]})` : ''}`);
    return h.goto(rt, s, instr.alt, instr, step.message);
  }
  const skip = step.else === 'skip';
  if (h.logging) h.event('cas', `update ${instanceName(h, u, s)} ${skip ? 'skipped' : 'failed'}: ${failureText(h, u, failed, s)}`);
  // abort (and retry, which runs only once it matches: see updateEnabled) end the operation; alt is ABORT.
  return h.goto(rt, s, skip ? instr.next : instr.alt, instr, step.message);
}

function instanceName(h: UpdateHost, u: CompiledUpdate, s: Int32Array): string {
  return h.system.instances[u.instance(s)]?.name ?? '?';
}

function conditionCount(u: CompiledUpdate): string {
  const n = u.wheres.length + u.filters.length;
  return n === 0 ? 'no conditions' : n === 1 ? 'its condition holds' : `all ${n} conditions hold`;
}

/** Which condition failed, with the expected and the actual value. */
export function failureText(h: Pick<UpdateHost, 'system' | 'format'>, u: CompiledUpdate, failed: number, s: Int32Array): string {
  if (failed >= u.wheres.length) return `filter ${u.filters[failed - u.wheres.length].name} does not hold`;
  const w = u.wheres[failed];
  const type = w.target.type;
  const actual = h.format(fieldValue(w.target, s, h.system), type);
  const expected = w.values.map((v) => h.format(v(s), type));
  const wanted = w.op === 'in' || w.op === 'not in' ? `${w.op} [${expected.join(', ')}]` : `${w.op} ${expected[0]}`;
  return `${w.name} is ${actual}, expected ${wanted}`;
}
