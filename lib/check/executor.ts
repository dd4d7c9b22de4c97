/**
 * The one step executor: what running one instruction does to a packed state
 * (docs/design.md section 2). Top-level steps and the steps of an `atomic` block
 * run through the same `exec`; an atomic block runs its body as a small
 * program inside one transition and rolls the shared state back when the body
 * aborts. Every change it makes can be logged as trace events.
 */
import { unreachable } from '../model/walk';
import type { Type } from '../model/expr/types';
import { ABORTED, DONE, HOLD_EXPIRED, HOLD_NONE, HOLD_SUPERSEDED, RUNNING } from './layout';
import { available, dropHold, isLive, takeLock } from './locks';
import { ABORT, END, type StepOf } from './program';
import type { TraceEvent, Violation } from './result';
import type { Runtime } from './runtime';
import type { CompiledInstr, CompiledTarget } from './instructions';
import { execUpdate, fieldValue, updateEnabled, type UpdateHost } from './exec-update';
import type { CompiledLockUse, LockKey, ProcessInfo, System } from './system';

/** What a step did wrong, if anything. */
export type Outcome = null | Violation;

/** How an atomic body ended: it is still running, reached a `return`, or aborted (and rolls back). */
const TX_RUNNING = 0;
const TX_RETURNED = 1;
const TX_ABORTED = 2;

/** Set while an atomic block's body runs: where the body stands (its own pcs) and how it ended. */
interface Transaction {
  pc: number;
  ended: number;
  why: string;
}

/** The instructions that may have to wait; every other one can always run. */
export type WaitingInstr = Extract<CompiledInstr, { kind: 'await' | 'acquire' | 'update' | 'cas' }>;

export function mayWait(instr: CompiledInstr): instr is WaitingInstr {
  switch (instr.kind) {
    case 'await':
    case 'acquire':
    case 'update':
    case 'cas':
      return true;
    case 'read':
    case 'branch':
    case 'require':
    case 'assert':
    case 'write':
    case 'atomic':
    case 'release':
    case 'call':
    case 'abort':
    case 'return':
    case 'until':
      return false;
    default:
      return unreachable(instr, 'instruction');
  }
}

/** Whether `instr`, the next step of `rt`, can run in `s`. */
export function enabled(rt: Runtime, instr: CompiledInstr, s: Int32Array, system: System): boolean {
  if (!mayWait(instr)) return true;
  switch (instr.kind) {
    case 'await':
      return instr.cond(s) !== 0;
    case 'acquire':
      // A timeout may fire whenever the acquire would wait (there is no clock: giving up is a move of its own).
      return instr.try || instr.timeout || available(rt, instr.lock, instr.shared, s);
    case 'update':
      return updateEnabled(instr, s, system);
    case 'cas':
      if (instr.step.else !== 'retry') return true;
      return instr.from.includes(fieldValue(instr.target, s, system));
    default:
      return unreachable(instr, 'instruction');
  }
}

export class Executor {
  /** When set, steps append what they read, wrote, acquired or released. */
  log: TraceEvent[] | null = null;
  /** When `log` is set: the instructions run by the last move (the visible one and merged local ones). */
  readonly executed: CompiledInstr[] = [];
  /** The shared slots as they were before the running atomic block. */
  private readonly rollback: Int32Array;
  /** The atomic block running now (null: none); reused, atomic blocks do not nest. */
  private tx: Transaction | null = null;
  private readonly transaction: Transaction = { pc: 0, ended: TX_RUNNING, why: '' };

  /** The executor as exec-update.ts sees it (its private steps, bound). */
  private readonly updateHost: UpdateHost = ((x: Executor): UpdateHost => ({
    get system() {
      return x.system;
    },
    get logging() {
      return x.log !== null;
    },
    event: (kind, text) => x.event(kind, text),
    format: (value, type) => x.format(value, type),
    write: (rt, target, value, s) => x.write(rt, target, value, null, s),
    goto: (rt, s, pc, instr, failure) => x.goto(rt, s, pc, instr, failure),
  }))(this);

  constructor(
    readonly system: System,
    readonly runtimes: Runtime[],
  ) {
    this.rollback = new Int32Array(system.sharedEnd);
  }

  /** Runs the process's steps that touch only locals, from where it stands. */
  runLocalSteps(rt: Runtime, s: Int32Array): Outcome {
    const proc = rt.proc;
    while (s[proc.statusSlot] === RUNNING) {
      const instr = proc.program[s[proc.pcSlot]];
      if (!instr.local) return null;
      const violation = this.exec(rt, instr, s, false);
      if (violation) return violation;
    }
    return null;
  }

  /** Runs one instruction of `rt` on `s` in place; `callFails` takes a call's failing outcome. */
  exec(rt: Runtime, instr: CompiledInstr, s: Int32Array, callFails: boolean): Outcome {
    const proc = rt.proc;
    if (this.log && !this.tx) this.executed.push(instr);
    switch (instr.kind) {
      case 'read': {
        const value = instr.expr(s);
        s[instr.slot] = value;
        if (this.log) this.event('read', `${instr.step.local} = ${this.format(value, proc.operation.locals.get(instr.step.local)!)}`);
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'branch': {
        const holds = instr.cond(s) !== 0;
        if (this.log) this.event('branch', `${exprText(instr.step)} is ${holds}`);
        return this.goto(rt, s, holds ? instr.next : instr.alt, instr, '');
      }
      case 'await':
        if (this.log) this.event('check', `waited until ${exprText(instr.step)}`);
        return this.goto(rt, s, instr.next, instr, '');
      case 'require': {
        if (instr.cond(s) !== 0) {
          if (this.log) this.event('check', `${instr.step.text.replace(/^require /, '').replace(/ else abort .*$/, '')} holds`);
          return this.goto(rt, s, instr.next, instr, '');
        }
        return this.abort(rt, s, instr.step.message, instr);
      }
      case 'assert': {
        if (instr.cond(s) !== 0 || !this.system.checks.assertions) return this.goto(rt, s, instr.next, instr, '');
        const message = instr.step.message;
        return { kind: 'assertion', message: `${proc.name}: assertion failed at ${where(instr.step)}: ${message}`, name: message, process: proc.name };
      }
      case 'write': {
        const result = this.write(rt, instr.target, instr.value(s), instr.fence, s);
        if (result === 'rejected') return this.goto(rt, s, instr.alt, instr, 'write rejected: a newer fencing token was already accepted');
        return result ?? this.goto(rt, s, instr.next, instr, '');
      }
      case 'cas': {
        const t = instr.target;
        const instance = t.instance(s);
        const current = s[this.system.instances[instance].base + t.offset];
        if (instr.from.includes(current)) {
          const result = this.write(rt, t, instr.to, null, s, 'cas'); // unfenced: never rejected
          return result === 'rejected' ? null : (result ?? this.goto(rt, s, instr.next, instr, ''));
        }
        // Not a failure of the operation when it says `else skip`: the trace says so.
        const skip = instr.step.else === 'skip';
        if (this.log) this.event('cas', `cas ${this.system.instances[instance].name}.${t.field} ${skip ? 'skipped' : 'failed'}: it is ${this.format(current, t.type)}`);
        if (skip) return this.goto(rt, s, instr.next, instr, '');
        return this.abort(rt, s, instr.step.message, instr); // retry runs only once it matches (see `enabled`)
      }
      case 'update':
        return execUpdate(this.updateHost, rt, instr, s);
      case 'atomic':
        return this.atomic(rt, instr, s);
      case 'acquire': {
        const key = instr.lock.keyOf(s);
        if ((instr.try || instr.timeout) && !available(rt, instr.lock, instr.shared, s)) {
          if (this.log) this.event('acquire', instr.timeout ? `acquire ${key.name} timed out: it is held` : `try-acquire ${key.name} failed: it is held`);
          return this.goto(rt, s, instr.alt, instr, '');
        }
        const token = takeLock(this.system, rt, key, instr.shared, s);
        if (this.log) this.event('acquire', `acquire ${key.name}${instr.shared ? ' (shared)' : ''}${token ? `, fencing token ${token}` : ''}`);
        if (instr.keySlot >= 0) s[instr.keySlot] = key.instance + 1;
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'release': {
        const violation = this.release(rt, instr.lock.keyOf(s), s, !instr.closesWith);
        if (instr.keySlot >= 0) s[instr.keySlot] = 0;
        return violation ?? this.goto(rt, s, instr.next, instr, '');
      }
      case 'call': {
        const name = instr.step.name;
        if (callFails) {
          s[this.system.budgetSlots.callFailure]--;
          this.event('call', `call ${name} fails`);
          return this.goto(rt, s, instr.alt, instr, `call ${name} failed`);
        }
        if (this.log) this.event('call', `call ${name}${instr.step.long ? ' (long-running)' : ''}`);
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'until': {
        const holds = instr.cond(s) !== 0;
        if (this.log) {
          const test = instr.step.text.replace(/^repeat until /, '');
          this.event('branch', holds ? `${test} is true: the loop ends` : `${test} is false: round again`);
        }
        return this.goto(rt, s, holds ? instr.next : instr.alt, instr, '');
      }
      case 'abort':
        return this.abort(rt, s, instr.step.message, instr);
      case 'return':
        if (this.tx) {
          this.tx.ended = TX_RETURNED;
          return null;
        }
        return this.finish(rt, s, DONE, instr);
      default:
        return unreachable(instr, 'instruction');
    }
  }

  /** Moves to `pc` (in the running atomic body, or the process), ending or aborting when that is where it leads. */
  private goto(rt: Runtime, s: Int32Array, pc: number, instr: CompiledInstr, failure: string): Outcome {
    if (pc >= 0) {
      if (this.tx) this.tx.pc = pc;
      else s[rt.proc.pcSlot] = pc;
      return null;
    }
    if (pc === ABORT) return this.abort(rt, s, failure, instr);
    if (this.tx) {
      this.tx.pc = END; // the body is done; the block continues with its own successor
      return null;
    }
    return this.finish(rt, s, DONE, instr);
  }

  /** Runs an atomic block's body in one transition; an abort inside rolls the shared state back and aborts the process. */
  private atomic(rt: Runtime, instr: StepInstr<'atomic'>, s: Int32Array): Outcome {
    // A plain loop: `s.subarray` would allocate a view per atomic step on the explorer's hot path.
    const rollback = this.rollback;
    for (let i = 0; i < rollback.length; i++) rollback[i] = s[i];
    const logLength = this.log?.length ?? 0;
    const tx = this.transaction;
    tx.pc = 0;
    tx.ended = TX_RUNNING;
    this.tx = tx;
    let violation: Outcome = null;
    const body = instr.body;
    try {
      while (tx.pc !== END && tx.ended === TX_RUNNING) {
        violation = this.exec(rt, body[tx.pc], s, false);
        if (violation) break;
      }
    } finally {
      this.tx = null;
    }
    if (violation) return violation;
    if (tx.ended === TX_ABORTED) {
      s.set(this.rollback, 0);
      if (this.log) {
        this.log.length = logLength;
        this.event('end', 'the transaction rolls back');
      }
      return this.abort(rt, s, tx.why, instr);
    }
    if (tx.ended === TX_RETURNED) return this.finish(rt, s, DONE, instr);
    return this.goto(rt, s, instr.next, instr, '');
  }

  /** Writes `value` to a field; 'rejected' when a fenced write carries a stale token. */
  private write(
    rt: Runtime,
    target: CompiledTarget,
    value: number,
    fence: CompiledLockUse | null,
    s: Int32Array,
    verb: 'write' | 'cas' = 'write',
  ): Outcome | 'rejected' {
    const system = this.system;
    const proc = rt.proc;
    const instance = target.instance(s);
    const info = system.instances[instance];
    const slot = info.base + target.offset;
    const current = s[slot];
    const what = `${info.name}.${target.field}`;
    if (fence) {
      const key = fence.keyOf(s);
      const hold = rt.holdByKey.get(key.id)!;
      const token = hold.tokenSlot >= 0 ? s[hold.tokenSlot] : 0;
      const fenceSlot = system.fenceSlot(fence.lockName, instance);
      if (token === 0 || s[fenceSlot] > token) {
        this.event('rejected', `${what} rejects the write: token ${token || 'none'} is older than ${s[fenceSlot]}`);
        return 'rejected';
      }
      s[fenceSlot] = token;
    } else if (system.checks.staleWrite) {
      for (const hold of rt.holds) {
        if (s[hold.slot] !== HOLD_SUPERSEDED) continue;
        if (hold.key.instance !== instance && hold.key.instance !== -1) continue;
        this.event(verb, `${what}: ${this.format(current, target.type)} → ${this.format(value, target.type)} (stale: the lease on ${hold.key.name} was lost)`);
        return {
          kind: 'stale-write',
          message: `${proc.name} writes ${what} after its lease on ${hold.key.name} expired and another process took the lock (an unfenced stale write)`,
          process: proc.name,
        };
      }
    }
    if (target.type.kind === 'int' && (value < target.type.min || value > target.type.max)) {
      return {
        kind: 'invalid-value',
        message: `${proc.name} writes ${value} to ${what}, outside its range ${target.type.min}..${target.type.max}`,
        process: proc.name,
      };
    }
    if (target.isState && value !== current && system.checks.illegalTransition) {
      const states = info.resource.states;
      if (info.allowed[current * states.length + value] === 0) {
        this.event(verb, `${what}: ${states[current]} → ${states[value]} (not a transition of ${info.resource.name})`);
        return {
          kind: 'illegal-transition',
          message: `${proc.name} moves ${info.name} from '${states[current]}' to '${states[value]}', which ${info.resource.name}'s state machine does not allow`,
          process: proc.name,
        };
      }
    }
    s[slot] = value;
    if (this.log) {
      const tag = fence ? ` (fenced, token ${s[system.fenceSlot(fence.lockName, instance)]})` : '';
      this.event(verb, `${what}: ${this.format(current, target.type)} → ${this.format(value, target.type)}${tag}`);
    }
    return null;
  }

  private release(rt: Runtime, key: LockKey, s: Int32Array, explicit: boolean): Outcome {
    const hold = rt.holdByKey.get(key.id)!;
    const h = s[hold.slot];
    if (h === HOLD_NONE) {
      if (explicit && this.system.checks.releaseUnheld) {
        return { kind: 'release-unheld', message: `${rt.proc.name} releases ${key.name}, which it does not hold`, process: rt.proc.name };
      }
      return null;
    }
    dropHold(hold, s);
    if (this.log) {
      this.event('release', h === HOLD_EXPIRED || h === HOLD_SUPERSEDED ? `release ${key.name}: a no-op, its lease had expired` : `release ${key.name}`);
    }
    return null;
  }

  /** Ends the process as aborted, or (inside an atomic body) ends the body so the block rolls back. */
  private abort(rt: Runtime, s: Int32Array, why: string, instr: CompiledInstr): Outcome {
    if (this.tx) {
      this.tx.ended = TX_ABORTED;
      this.tx.why = why;
      return null;
    }
    if (this.log) this.event('end', `${rt.proc.name} aborts: ${why}`);
    return this.finish(rt, s, ABORTED, instr);
  }

  /** Ends a process: `with` blocks release their locks; a lock still held is a leak. */
  private finish(rt: Runtime, s: Int32Array, status: number, instr: CompiledInstr): Outcome {
    const proc = rt.proc;
    for (let i = instr.withs.length - 1; i >= 0; i--) this.release(rt, this.withUse(proc, instr.withs[i]).keyOf(s), s, false);
    for (const hold of rt.holds) {
      if (isLive(s[hold.slot])) {
        if (this.system.checks.lockLeak) {
          return { kind: 'lock-leak', message: `${proc.name} ${status === DONE ? 'finished' : 'aborted'} still holding ${hold.key.name}`, process: proc.name };
        }
        continue; // leaked: the lock stays held
      }
      dropHold(hold, s);
    }
    this.clearLocals(rt, s);
    s[proc.statusSlot] = status;
    if (this.log && status === DONE) this.event('end', `${proc.name} is done`);
    return null;
  }

  /** Per process (each binds its own arguments): a `with` step → the lock use its closing release compiled. */
  private readonly withUses = new Map<ProcessInfo, Map<StepOf<'with'>, CompiledLockUse>>();
  private withUse(proc: ProcessInfo, step: StepOf<'with'>): CompiledLockUse {
    let uses = this.withUses.get(proc);
    if (!uses) this.withUses.set(proc, (uses = new Map()));
    let use = uses.get(step);
    if (!use) {
      // The release that closes the block: it knows which instance the block locked.
      for (const instr of proc.program) if (instr.kind === 'release' && instr.closesWith && instr.step === step) use = instr.lock;
      uses.set(step, use!);
    }
    return use!;
  }

  /** A process that ends or crashes forgets where it was and its locals. */
  clearLocals(rt: Runtime, s: Int32Array): void {
    s[rt.proc.pcSlot] = 0;
    for (let i = rt.localsStart; i < rt.localsEnd; i++) s[i] = 0;
  }

  format(value: number, type: Type): string {
    switch (type.kind) {
      case 'bool':
        return value ? 'true' : 'false';
      case 'int':
        return String(value);
      case 'enum':
        return type.values[value] ?? `#${value}`;
      case 'ref':
        return this.system.instances[value]?.name ?? `#${value}`;
      default:
        return unreachable(type, 'type');
    }
  }

  event(kind: TraceEvent['kind'], text: string): void {
    if (this.log) this.log.push({ kind, text });
  }
}

type StepInstr<K extends CompiledInstr['kind']> = Extract<CompiledInstr, { kind: K }>;

export function where(step: { where: string; label?: string }): string {
  return step.label ? `'${step.label}'` : step.where;
}

function exprText(step: { text: string }): string {
  return step.text.replace(/^(if|await) /, '');
}
