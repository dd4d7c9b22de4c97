/**
 * The explorer's fast path: code specialised to one compiled scenario, the
 * way Spin compiles each model to its own verifier. From the processes'
 * programs it writes JavaScript in which every slot, pc, lock contender and
 * check flag is a constant and the dispatch on instruction kind is gone;
 * expressions are written as source too (expr-source.ts). semantics.ts uses
 * it for the explorer's hot operations — listing the enabled moves, taking a
 * process's step, judging the invariants, and asking whether any process can
 * step — while nothing is logged.
 *
 * It covers the common paths only and gives up (BAIL) on everything else —
 * a violation, a fenced write, an update, a lock whose instance varies — before
 * or after it has written anything: the caller then copies the state afresh
 * and lets the interpreter (executor.ts) take the move, so the result is the
 * interpreter's by construction. specialize.property.test.ts compares the two
 * on random models.
 */
import type { LockUse } from '../model/analyzed';
import type { Typed } from '../model/expr/types';
import { exprSource, type ConstantNamer as Constant } from './expr-source';
import { unreachable } from '../model/walk';
import { DONE, ABORTED, RUNNING, CRASHED } from './layout';
import { enabled as enabledByInterpreter, mayWait } from './executor';
import { ABORT, END } from './program';
import type { CompiledInstr, CompiledTarget } from './instructions';
import type { Runtime } from './runtime';
import type { LockKey, ProcessInfo, System } from './system';

/** What a specialised step returns: the move is done (no violation), or the interpreter must take it. */
export const STEP_DONE = 0;
export const BAIL = 1;

export interface SpecializedSteps {
  /** Same contract and order as Semantics.listMoves. */
  listMoves(s: Int32Array, out: Int32Array, skipSymmetric: boolean): number;
  /** Process `p`'s step (not a failing call) from `from` into `s`: STEP_DONE, or BAIL (then `s` is garbage). */
  step(from: Int32Array, s: Int32Array, p: number): number;
  /** The index of the first invariant `s` breaks, or -1. */
  brokenInvariant(s: Int32Array): number;
  /** Whether some running process can take a step in `s` (then it is neither a deadlock nor an end state). */
  someStepEnabled(s: Int32Array): boolean;
}

/**
 * Builds the fast path, or returns null where code cannot be generated at run
 * time (a Content-Security-Policy without 'unsafe-eval'): the interpreter then
 * does everything.
 */
export function specialize(system: System, runtimes: Runtime[], twinBefore: Int32Array, moveCodes: MoveCodes): SpecializedSteps | null {
  const constants: unknown[] = [];
  const constant = (value: unknown): string => {
    constants.push(value);
    return `k${constants.length - 1}`;
  };
  // Per process, by pc: the code for "can take this step" (listMoves and someStepEnabled both ask).
  const enabledAt = runtimes.map((rt) => rt.proc.program.map((instr) => enabledCode(system, rt, instr, constant)));
  const source = [
    `"use strict";`,
    `const listMoves = function listMoves(s, out, skip) {\n  let h = 0;\n${listMovesBody(system, runtimes, twinBefore, moveCodes, enabledAt)}\n};`,
    `const brokenInvariant = function brokenInvariant(s) {\n${system.invariants.map((inv, i) => `  if (${exprSource(inv.expr, inv.env, constant)} === 0) return ${i};`).join('\n')}\n  return -1;\n};`,
    // The copy is straight-line code too: cheaper than TypedArray.prototype.set for a few dozen slots.
    // One function per process (small functions are optimised sooner than one with every process in it).
    ...runtimes.map((rt) => `function step${rt.proc.index}(from, s) {\n  let h = 0;\n${indent(processStep(system, rt, constant), 2)}\n}`),
    // A switch of direct calls, not steps[p](): an indirect call site with many targets goes through V8's generic call.
    `const step = function step(from, s, p) {\n${Array.from({ length: system.size }, (_, i) => `  s[${i}] = from[${i}];`).join('\n')}\n  switch (p) {\n${runtimes.map((rt, i) => `    case ${i}: return step${rt.proc.index}(from, s);`).join('\n')}\n  }\n  return ${BAIL};\n};`,
    `const someStepEnabled = function someStepEnabled(s) {\n  let h = 0;\n${indent(someStepEnabledBody(runtimes, enabledAt), 2)}\n  return false;\n};`,
    `return { listMoves, step, brokenInvariant, someStepEnabled };`,
  ].join('\n');
  const names = constants.map((_, i) => `k${i}`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- numbers and operators from the compiled model, never text from it
    const factory = new Function(...names, source) as (...k: unknown[]) => SpecializedSteps;
    return factory(...constants);
  } catch {
    return null;
  }
}

/** How moves are numbered (semantics.ts owns the encoding). */
export interface MoveCodes {
  encode(process: number, kind: number, sub?: number): number;
  STEP: number;
  CALL_FAILS: number;
  CRASH: number;
  LEASE_EXPIRES: number;
  LEASE_RELEASED: number;
  HEARTBEAT_LAPSES: number;
}


// ---- listing moves ---------------------------------------------------------

function listMovesBody(system: System, runtimes: Runtime[], twinBefore: Int32Array, m: MoveCodes, enabledAt: string[][]): string {
  const b = system.budgetSlots;
  const lines: string[] = [
    `let n = 0;`,
    `const crashes = ${b.crash >= 0 ? `s[${b.crash}]` : '0'};`,
    `const expiries = ${b.leaseExpiry >= 0 ? `s[${b.leaseExpiry}]` : '0'};`,
    `const failures = ${b.callFailure >= 0 ? `s[${b.callFailure}]` : '0'};`,
    `const lapses = ${b.heartbeatLoss >= 0 ? `s[${b.heartbeatLoss}]` : '0'};`,
  ];
  for (const rt of runtimes) {
    const proc = rt.proc;
    const p = proc.index;
    const twin = twinBefore[p];
    const notTwin = twin >= 0 ? `!(skip && ${sameBlock(system.processes[twin], proc)})` : 'true';
    const running: string[] = [];
    const push = `out[n++] = ${m.encode(p, m.STEP)};`;
    const cases = enabledAt[p].map((cond, pc) => (cond === 'true' ? `case ${pc}: ${push} break;` : `case ${pc}: if (${cond}) ${push} break;`));
    const mayFail = proc.program.filter((instr) => instr.kind === 'call' && instr.step.mayFail).map((instr) => instr.pc);
    running.push(`switch (s[${proc.pcSlot}]) {\n${indent(cases.join('\n'), 2)}\n}`);
    if (mayFail.length > 0 && b.callFailure >= 0) {
      running.push(`if (failures > 0) switch (s[${proc.pcSlot}]) { ${mayFail.map((pc) => `case ${pc}:`).join(' ')} out[n++] = ${m.encode(p, m.CALL_FAILS)}; }`);
    }
    if (b.crash >= 0) running.push(`if (crashes > 0) out[n++] = ${m.encode(p, m.CRASH)};`);
    const expiring = rt.holds.map((hold, k) => ({ hold, k })).filter(({ hold }) => hold.key.policy.leaseCanExpire);
    if (b.leaseExpiry >= 0 && expiring.length > 0) {
      running.push(
        `if (expiries > 0) {\n${expiring.map(({ hold, k }) => `  { const h = s[${hold.slot}]; if (h === 1 || h === 2) out[n++] = ${m.encode(p, m.LEASE_EXPIRES, k)}; }`).join('\n')}\n}`,
      );
    }
    const afterLease = rt.holds.map((hold, k) => ({ hold, k })).filter(({ hold }) => hold.key.policy.onCrash === 'after-lease');
    const crashed = afterLease.map(({ hold, k }) => `{ const h = s[${hold.slot}]; if (h === 5 || h === 6) out[n++] = ${m.encode(p, m.LEASE_RELEASED, k)}; }`);
    // Only numbers reach the generated code (slots, pcs, move codes; closures and tables are passed in), never a name from the model.
    lines.push(`{ // process ${p}`);
    lines.push(`  const status = s[${proc.statusSlot}];`);
    lines.push(`  if (status === ${RUNNING}) {`);
    lines.push(`    if (${notTwin}) {\n${indent(running.join('\n'), 6)}\n    }`);
    if (crashed.length > 0) lines.push(`  } else if (status === ${CRASHED}) {\n    if (${notTwin}) {\n${indent(crashed.join('\n'), 6)}\n    }`);
    lines.push(`  }`);
    lines.push(`}`);
  }
  if (system.heartbeats.length > 0 && b.heartbeatLoss >= 0) {
    lines.push(`if (lapses > 0) {`);
    system.heartbeats.forEach((h, k) => lines.push(`  if (s[${h.slot}] !== 0) out[n++] = ${m.encode(0, m.HEARTBEAT_LAPSES, k)};`));
    lines.push(`}`);
  }
  lines.push(`return n;`);
  return indent(lines.join('\n'), 2);
}

function someStepEnabledBody(runtimes: Runtime[], enabledAt: string[][]): string {
  return runtimes
    .map((rt) => {
      const cases = enabledAt[rt.proc.index].map((cond, pc) => (cond === 'true' ? `case ${pc}: return true;` : `case ${pc}: if (${cond}) return true; break;`));
      return `if (s[${rt.proc.statusSlot}] === ${RUNNING}) switch (s[${rt.proc.pcSlot}]) {\n${indent(cases.join('\n'), 2)}\n}`;
    })
    .join('\n');
}

/** A process's block equals its earlier twin's (unrolled). */
function sameBlock(twin: ProcessInfo, proc: ProcessInfo): string {
  const parts: string[] = [];
  for (let i = 0; i < proc.blockSize; i++) parts.push(`s[${twin.blockStart + i}] === s[${proc.blockStart + i}]`);
  return parts.length > 0 ? parts.join(' && ') : 'true';
}

/** JavaScript for "the process at `instr` can move", or a call into the interpreter's test. */
function enabledCode(system: System, rt: Runtime, instr: CompiledInstr, constant: Constant): string {
  if (!mayWait(instr)) return 'true';
  switch (instr.kind) {
    case 'await':
      return `${source(rt, instr.step.cond, constant)} !== 0`;
    case 'acquire': {
      if (instr.try || instr.timeout) return 'true';
      const key = constantKey(system, rt.proc, instr.step);
      if (!key) break;
      return availableCode(rt, key, instr.shared);
    }
    case 'cas': {
      if (instr.step.else !== 'retry') return 'true';
      const slot = constantSlot(system, rt.proc, instr.target);
      if (slot < 0) break;
      return `(${oneOf(`s[${slot}]`, instr.from)})`;
    }
    case 'update':
      break;
    default:
      return unreachable(instr, 'instruction');
  }
  const interpreter = constant((s: Int32Array) => enabledByInterpreter(rt, instr, s, system));
  return `${interpreter}(s)`;
}

/** The lock is free for this process: it does not hold it, and no contender holds it in a conflicting mode. */
function availableCode(rt: Runtime, key: LockKey, shared: boolean): string {
  const hold = rt.holdByKey.get(key.id)!;
  const inTable = (slot: number) => `((h = s[${slot}]) === 1 || h === 2 || h === 5 || h === 6)`;
  const exclusive = (slot: number) => `((h = s[${slot}]) === 1 || h === 5)`;
  const blocked = [inTable(hold.slot), ...[...hold.contenders].map((c) => (shared ? exclusive(c) : inTable(c)))];
  return `!(${blocked.join(' || ')})`;
}

function oneOf(value: string, values: number[]): string {
  return values.length === 0 ? 'false' : values.map((v) => `${value} === ${v}`).join(' || ');
}

/** The lock key a lock use names when it does not depend on the state (a global lock, or one keyed by a parameter). */
function constantKey(system: System, proc: ProcessInfo, use: LockUse): LockKey | null {
  let instance = -1;
  if (use.on !== null) {
    if (use.on.kind === 'param') instance = proc.args.get(use.on.name) ?? -2;
    else if (use.on.kind === 'instance') instance = system.instances.find((i) => i.name === (use.on as { name: string }).name)?.index ?? -2;
    else return null;
  }
  return system.lockKeys.find((k) => k.policy.name === use.lock && k.instance === instance) ?? null;
}

/** The slot a target writes when its instance is a parameter or a named instance; -1 when it depends on the state. */
function constantSlot(system: System, proc: ProcessInfo, target: CompiledTarget): number {
  const instance = constantInstance(system, proc, target);
  return instance < 0 ? -1 : system.instances[instance].base + target.offset;
}

function constantInstance(system: System, proc: ProcessInfo, target: CompiledTarget): number {
  const object = target.object;
  if (object.kind === 'param') return proc.args.get(object.name) ?? -1;
  if (object.kind === 'instance') return system.instances.find((i) => i.name === object.name)?.index ?? -1;
  return -1;
}

/** An expression of the process as source (expr-source.ts), or a call of its closure when the process has no environment. */
function source(rt: Runtime, e: Typed, constant: Constant): string {
  const env = rt.proc.env;
  if (!env) throw new Error(`process ${rt.proc.name} was compiled without its expression environment`);
  return `(${exprSource(e, env, constant)})`;
}

// ---- taking a step ---------------------------------------------------------

/**
 * One process's step: a loop over its pcs starting at the state's, running the
 * visible instruction and then local ones, as Executor.exec + runLocalSteps do.
 * Inside, `pc` is where the process stands.
 */
function processStep(system: System, rt: Runtime, constant: Constant): string {
  const proc = rt.proc;
  const cases = proc.program.map((instr) => `case ${instr.pc}: {\n${indent(instrCode(system, rt, instr, constant, null), 2)}\n}`);
  return [`let pc = s[${proc.pcSlot}];`, `for (;;) {`, `  switch (pc) {`, indent(cases.join('\n'), 4), `    default: return ${BAIL};`, `  }`, `}`].join('\n');
}

/** Where an atomic body stands while it runs (null: a top-level instruction). */
interface Body {
  /** Code that ends the body normally (continue with the block's successor). */
  done: string;
  /** Code when the body aborts: roll back and abort the process. */
  aborted: string;
  /** Code when the body reaches `return`. */
  returned: string;
}

function instrCode(system: System, rt: Runtime, instr: CompiledInstr, constant: Constant, body: Body | null): string {
  const proc = rt.proc;
  const go = (pc: number) => gotoCode(system, rt, instr, pc, body);
  const abort = body ? body.aborted : finishCode(system, rt, instr, ABORTED);
  const expr = (e: Typed) => source(rt, e, constant);
  switch (instr.kind) {
    case 'read':
      return `s[${instr.slot}] = ${expr(instr.step.expr)};\n${go(instr.next)}`;
    case 'branch':
      return `if (${expr(instr.step.cond)} !== 0) {\n${indent(go(instr.next), 2)}\n}\n${go(instr.alt)}`;
    case 'until':
      return `if (${expr(instr.step.until!)} !== 0) {\n${indent(go(instr.next), 2)}\n}\n${go(instr.alt)}`;
    case 'await':
    case 'call':
      return go(instr.next);
    case 'require':
      return `if (${expr(instr.step.cond)} === 0) {\n${indent(abort, 2)}\n}\n${go(instr.next)}`;
    case 'assert':
      if (!system.checks.assertions) return go(instr.next);
      return `if (${expr(instr.step.cond)} === 0) return ${BAIL};\n${go(instr.next)}`;
    case 'abort':
      return abort;
    case 'return':
      return body ? body.returned : finishCode(system, rt, instr, DONE);
    case 'write': {
      if (instr.fence) return `return ${BAIL};`;
      return `${writeCode(system, rt, instr.target, expr(instr.step.value), constant)}\n${go(instr.next)}`;
    }
    case 'cas': {
      const onMismatch = instr.step.else === 'skip' ? go(instr.next) : abort;
      const expected = `if (!(${oneOf('s[at]', instr.from)})) {\n${indent(onMismatch, 2)}\n}`;
      return `${writeCode(system, rt, instr.target, String(instr.to), constant, expected)}\n${go(instr.next)}`;
    }
    case 'acquire': {
      const key = constantKey(system, proc, instr.step);
      if (!key) return `return ${BAIL};`;
      const hold = rt.holdByKey.get(key.id)!;
      const lines: string[] = [];
      if (instr.try || instr.timeout) lines.push(`if (!${availableCode(rt, key, instr.shared)}) {\n${indent(go(instr.alt), 2)}\n}`);
      lines.push(`s[${hold.slot}] = ${instr.shared ? 2 : 1};`);
      for (const c of hold.contenders) lines.push(`if (s[${c}] === 3) s[${c}] = 4;`);
      if (key.policy.fencing) lines.push(`s[${hold.tokenSlot}] = ++s[${system.tokenCounterSlot(key.id, hold.domain)}];`);
      if (instr.keySlot >= 0) lines.push(`s[${instr.keySlot}] = ${key.instance + 1};`);
      lines.push(go(instr.next));
      return lines.join('\n');
    }
    case 'release': {
      if (instr.keySlot >= 0) return `return ${BAIL};`; // the block's key lives in a slot: the interpreter looks it up
      const key = constantKey(system, proc, instr.step);
      if (!key) return `return ${BAIL};`;
      const hold = rt.holdByKey.get(key.id)!;
      const unheld = !instr.closesWith && system.checks.releaseUnheld ? `return ${BAIL};` : '';
      return `if (s[${hold.slot}] === 0) {${unheld}} else {\n${indent(dropCode(hold), 2)}\n}\n${go(instr.next)}`;
    }
    case 'atomic':
      return atomicCode(system, rt, instr, constant);
    case 'update':
      return `return ${BAIL};`;
    default:
      return unreachable(instr, 'instruction');
  }
}

/** An atomic block: its body inline (own pcs), rolled back from `from` when it aborts (it is always the move's first instruction). */
function atomicCode(system: System, rt: Runtime, instr: Extract<CompiledInstr, { kind: 'atomic' }>, constant: Constant): string {
  const rollback = `for (let i = 0; i < ${system.sharedEnd}; i++) s[i] = from[i];`;
  const body: Body = {
    done: `break body;`,
    aborted: `${rollback}\n${finishCode(system, rt, instr, ABORTED)}`,
    returned: finishCode(system, rt, instr, DONE),
  };
  const cases = instr.body.map((b) => `case ${b.pc}: {\n${indent(instrCode(system, rt, b, constant, body), 2)}\n}`);
  return [
    `body: {`,
    `  let bpc = 0;`,
    `  for (;;) {`,
    `    switch (bpc) {`,
    indent(cases.join('\n'), 6),
    `      default: return ${BAIL};`,
    `    }`,
    `  }`,
    `}`,
    gotoCode(system, rt, instr, instr.next, null),
  ].join('\n');
}

/** Moving to `pc`: inside a body its own pc; at top level the next local instruction runs in this move, a visible one waits. */
function gotoCode(system: System, rt: Runtime, instr: CompiledInstr, pc: number, body: Body | null): string {
  if (body) {
    if (pc >= 0) return `bpc = ${pc}; continue;`;
    if (pc === ABORT) return body.aborted;
    return body.done;
  }
  if (pc === ABORT) return finishCode(system, rt, instr, ABORTED);
  if (pc === END) return finishCode(system, rt, instr, DONE);
  const proc = rt.proc;
  return proc.program[pc].local ? `pc = ${pc}; continue;` : `s[${proc.pcSlot}] = ${pc}; return ${STEP_DONE};`;
}

/** The process ends: `with` blocks release their locks, a lock still held is a leak, locals are forgotten. */
function finishCode(system: System, rt: Runtime, instr: CompiledInstr, status: number): string {
  const proc = rt.proc;
  const lines: string[] = [];
  for (let i = instr.withs.length - 1; i >= 0; i--) {
    const key = constantKey(system, proc, instr.withs[i]);
    const closing = proc.program.find((r): r is Extract<CompiledInstr, { kind: 'release' }> => r.kind === 'release' && r.closesWith && r.step === instr.withs[i]);
    if (!key || !closing || closing.keySlot >= 0) return `return ${BAIL};`;
    const hold = rt.holdByKey.get(key.id)!;
    lines.push(`if (s[${hold.slot}] !== 0) {\n${indent(dropCode(hold), 2)}\n}`);
  }
  for (const hold of rt.holds) {
    const live = `(h = s[${hold.slot}]) === 1 || h === 2`;
    lines.push(system.checks.lockLeak ? `if (${live}) return ${BAIL};\n${dropCode(hold)}` : `if (!(${live})) {\n${indent(dropCode(hold), 2)}\n}`);
  }
  lines.push(`s[${proc.pcSlot}] = 0;`);
  if (rt.localsEnd > rt.localsStart) lines.push(`for (let i = ${rt.localsStart}; i < ${rt.localsEnd}; i++) s[i] = 0;`);
  lines.push(`s[${proc.statusSlot}] = ${status};`);
  lines.push(`return ${STEP_DONE};`);
  return lines.join('\n');
}

function dropCode(hold: Runtime['holds'][number]): string {
  return hold.tokenSlot >= 0 ? `s[${hold.slot}] = 0; s[${hold.tokenSlot}] = 0;` : `s[${hold.slot}] = 0;`;
}

/** Where a target lives: a constant slot, or one computed from its instance expression. */
function slotCode(system: System, proc: ProcessInfo, target: CompiledTarget, constant: Constant): { setup: string; at: string; instance: string } {
  const instance = constantInstance(system, proc, target);
  if (instance >= 0) return { setup: '', at: String(system.instances[instance].base + target.offset), instance: String(instance) };
  const bases = constant(Int32Array.from(system.instances.map((i) => i.base)));
  return { setup: `const instance = ${constant(target.instance)}(s);`, at: `${bases}[instance] + ${target.offset}`, instance: 'instance' };
}

/**
 * An unfenced write of `value` with the checks executor.ts `write` makes; any that would fire hands the move to the
 * interpreter. `before` runs first, once the target slot `at` is known (a cas tests the current value there).
 */
function writeCode(system: System, rt: Runtime, target: CompiledTarget, value: string, constant: Constant, before = ''): string {
  const slot = slotCode(system, rt.proc, target, constant);
  const lines = [`{`, `  ${slot.setup}`, `  const at = ${slot.at};`, indent(before, 2), `  const value = ${value};`];
  // A stale write (a superseded hold on this instance's lock) is a violation: the interpreter says so.
  if (system.checks.staleWrite) {
    for (const hold of rt.holds) {
      if (!hold.key.policy.leaseCanExpire) continue;
      const sameInstance = hold.key.instance === -1 ? 'true' : `${slot.instance} === ${hold.key.instance}`;
      lines.push(`  if (s[${hold.slot}] === 4 && ${sameInstance}) return ${BAIL};`);
    }
  }
  if (target.type.kind === 'int') lines.push(`  if (value < ${target.type.min} || value > ${target.type.max}) return ${BAIL};`);
  if (target.isState && system.checks.illegalTransition) {
    const allowed = constant(system.instances.map((i) => i.allowed));
    const states = system.instances.find((i) => i.resource.name === target.resource)?.resource.states.length ?? 0;
    lines.push(`  const current = s[at];`);
    lines.push(`  if (value !== current && ${allowed}[${slot.instance}][current * ${states} + value] === 0) return ${BAIL};`);
  }
  lines.push(`  s[at] = value;`, `}`);
  return lines.filter((line) => line.trim() !== '').join('\n');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}
