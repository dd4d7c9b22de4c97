/**
 * The one step function of Lockstep (DESIGN.md section 2): which moves a
 * state enables and what each does. The BFS explorer, random simulation, the
 * manual simulator and the trace view all call this; nothing else implements
 * semantics.
 *
 * A move is an integer: process << 12 | kind << 8 | sub.
 */
import type { ViolationKind } from '../model/schema';
import type { Type } from '../model/expr/types';
import {
  ABORTED,
  CRASHED,
  DONE,
  DORMANT,
  HOLD_CRASHED_EXCLUSIVE,
  HOLD_CRASHED_SHARED,
  HOLD_EXCLUSIVE,
  HOLD_EXPIRED,
  HOLD_NONE,
  HOLD_SHARED,
  HOLD_SUPERSEDED,
  holdsExclusively,
  holdsInTable,
  RUNNING,
} from './layout';
import { ABORT, END } from './program';
import type { AtomicStep, CompiledInstr, CompiledLockUse, LockKey, ProcessInfo, System } from './system';

export const MOVE_STEP = 0;
/** The other outcome of a step: an external call that fails. */
export const MOVE_CALL_FAILS = 1;
export const MOVE_CRASH = 2;
export const MOVE_LEASE_EXPIRES = 3;
/** The lease of a crashed holder runs out and the lock is freed (not a fault: it always happens eventually). */
export const MOVE_LEASE_RELEASED = 4;

export const moveProcess = (move: number) => move >>> 12;
export const moveKind = (move: number) => (move >>> 8) & 15;
export const moveSub = (move: number) => move & 255;
const encodeMove = (process: number, kind: number, sub = 0) => (process << 12) | (kind << 8) | sub;

export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Invariant or assertion name, when there is one. */
  name?: string;
  process?: string;
}

export interface TraceEvent {
  kind: 'read' | 'branch' | 'write' | 'cas' | 'acquire' | 'release' | 'call' | 'fault' | 'end' | 'rejected' | 'check';
  text: string;
}

interface Hold {
  keyId: number;
  key: LockKey;
  slot: number;
  tokenSlot: number;
  /** Hold slots of every process contending for the same lock instance (same domain), this one included. */
  contenders: Int32Array;
  domain: number;
}

interface Runtime {
  proc: ProcessInfo;
  holds: Hold[];
  holdByKey: Map<number, Hold>;
  wakes: ProcessInfo[];
  localsStart: number;
  localsEnd: number;
}

type Outcome = null | Violation;

export class Semantics {
  /** When set, steps append what they read, wrote, acquired or released. */
  log: TraceEvent[] | null = null;
  /** When `log` is set: the instructions run by the last move (the visible one and merged local ones). */
  readonly executed: CompiledInstr[] = [];
  private readonly runtimes: Runtime[];
  private readonly rollback: Int32Array;
  /** The previous member of each process's symmetry group (-1: none). */
  private readonly twinBefore: Int32Array;

  constructor(readonly system: System) {
    this.rollback = new Int32Array(system.sharedEnd);
    this.twinBefore = new Int32Array(system.processes.length).fill(-1);
    for (const group of system.symmetryGroups) group.forEach((p, i) => i > 0 && (this.twinBefore[p] = group[i - 1]));
    const holdsOf = (p: ProcessInfo): Hold[] =>
      [...p.holds].map(([keyId, slot]) => {
        const key = system.lockKeys[keyId];
        const domain = p.domain[key.policy.scope];
        const contenders = system.processes
          .filter((q) => q.holds.has(keyId) && q.domain[key.policy.scope] === domain)
          .map((q) => q.holds.get(keyId)!);
        return { keyId, key, slot, tokenSlot: p.tokens.get(keyId) ?? -1, contenders: Int32Array.from(contenders), domain };
      });
    this.runtimes = system.processes.map((proc) => {
      const holds = holdsOf(proc);
      const localSlots = [...proc.locals.values(), ...proc.withKeys.values()];
      return {
        proc,
        holds,
        holdByKey: new Map(holds.map((h) => [h.keyId, h])),
        wakes: system.processes.filter((r) => r.triggers.includes(proc.index)),
        localsStart: localSlots.length ? Math.min(...localSlots) : 0,
        localsEnd: localSlots.length ? Math.max(...localSlots) + 1 : 0,
      };
    });
  }

  /** The initial state, with every process's leading local-only steps already run. */
  initial(): { state: Int32Array; violation: Violation | null } {
    const s = this.system.initial.slice();
    for (const rt of this.runtimes) {
      if (s[rt.proc.statusSlot] !== RUNNING) continue;
      const violation = this.runLocalSteps(rt, s);
      if (violation) return { state: s, violation };
    }
    return { state: s, violation: null };
  }

  // ---- enumeration ---------------------------------------------------------

  /** Upper bound on the number of moves a state can enable (the size `listMoves` needs). */
  get maxMoves(): number {
    return this.runtimes.reduce((n, rt) => n + 3 + rt.holds.length, 0);
  }

  /** Calls `visit` with every move enabled in `s` (faults included), in a fixed order. Stops when it returns true. */
  forEachMove(s: Int32Array, visit: (move: number) => boolean | void, skipSymmetric = false): void {
    const moves = new Int32Array(this.maxMoves);
    const count = this.listMoves(s, moves, skipSymmetric);
    for (let i = 0; i < count; i++) if (visit(moves[i])) return;
  }

  /**
   * Writes every move enabled in `s` into `out` and returns how many. With
   * `skipSymmetric`, a process whose block equals an earlier twin's is skipped:
   * its moves lead to the same states up to symmetry.
   */
  listMoves(s: Int32Array, out: Int32Array, skipSymmetric = false): number {
    const budgets = this.system.budgetSlots;
    const crashes = budgets.crash >= 0 ? s[budgets.crash] : 0;
    const expiries = budgets.leaseExpiry >= 0 ? s[budgets.leaseExpiry] : 0;
    const failures = budgets.callFailure >= 0 ? s[budgets.callFailure] : 0;
    let n = 0;
    for (let p = 0; p < this.runtimes.length; p++) {
      const rt = this.runtimes[p];
      const proc = rt.proc;
      const status = s[proc.statusSlot];
      if (status === RUNNING) {
        if (skipSymmetric && this.twinBefore[p] >= 0 && this.sameAsEarlierTwin(s, proc)) continue;
        const instr = proc.program[s[proc.pcSlot]];
        if (this.enabled(rt, instr, s)) out[n++] = encodeMove(p, MOVE_STEP);
        if (failures > 0 && instr.op === 'call' && instr.step.kind === 'call' && instr.step.mayFail) out[n++] = encodeMove(p, MOVE_CALL_FAILS);
        if (crashes > 0) out[n++] = encodeMove(p, MOVE_CRASH);
        if (expiries > 0) {
          for (let k = 0; k < rt.holds.length; k++) {
            const hold = rt.holds[k];
            const h = s[hold.slot];
            if ((h === HOLD_EXCLUSIVE || h === HOLD_SHARED) && hold.key.policy.leaseCanExpire) out[n++] = encodeMove(p, MOVE_LEASE_EXPIRES, k);
          }
        }
      } else if (status === CRASHED) {
        if (skipSymmetric && this.twinBefore[p] >= 0 && this.sameAsEarlierTwin(s, proc)) continue;
        for (let k = 0; k < rt.holds.length; k++) {
          const hold = rt.holds[k];
          const h = s[hold.slot];
          if ((h === HOLD_CRASHED_EXCLUSIVE || h === HOLD_CRASHED_SHARED) && hold.key.policy.onCrash === 'after-lease') {
            out[n++] = encodeMove(p, MOVE_LEASE_RELEASED, k);
          }
        }
      }
    }
    return n;
  }

  /** A process whose block equals an earlier member of its symmetry group has the same moves, up to renaming. */
  private sameAsEarlierTwin(s: Int32Array, proc: ProcessInfo): boolean {
    const twin = this.twinBefore[proc.index];
    if (twin < 0) return false;
    const a = this.system.processes[twin].blockStart;
    const b = proc.blockStart;
    for (let i = 0; i < proc.blockSize; i++) if (s[a + i] !== s[b + i]) return false;
    return true;
  }

  private enabled(rt: Runtime, instr: CompiledInstr, s: Int32Array): boolean {
    switch (instr.op) {
      case 'await':
        return instr.cond!(s) !== 0;
      case 'acquire':
        if (instr.step.kind === 'acquire' && instr.step.try) return true;
        return this.available(rt, instr.lock!, this.isShared(instr), s);
      case 'cas':
        if (instr.step.kind === 'cas' && instr.step.else === 'retry') {
          const t = instr.target!;
          return instr.from!.includes(s[this.system.instances[t.instance(s)].base + t.offset]);
        }
        return true;
      default:
        return true;
    }
  }

  private isShared(instr: CompiledInstr): boolean {
    const step = instr.step;
    return (step.kind === 'acquire' || step.kind === 'with') && step.shared;
  }

  private available(rt: Runtime, use: CompiledLockUse, shared: boolean, s: Int32Array): boolean {
    const hold = rt.holdByKey.get(use.keyOf(s).id)!;
    if (holdsInTable(s[hold.slot])) return false; // not re-entrant: a second acquire by the holder waits forever
    const c = hold.contenders;
    for (let i = 0; i < c.length; i++) {
      const h = s[c[i]];
      if (shared ? holdsExclusively(h) : holdsInTable(h)) return false;
    }
    return true;
  }

  // ---- applying a move ----------------------------------------------------

  /** Writes the successor of `s` under `move` into `out`; returns the violation the move causes, if any. */
  apply(s: Int32Array, move: number, out: Int32Array): Outcome {
    out.set(s);
    const rt = this.runtimes[moveProcess(move)];
    const proc = rt.proc;
    switch (moveKind(move)) {
      case MOVE_STEP:
      case MOVE_CALL_FAILS: {
        const instr = proc.program[out[proc.pcSlot]];
        const violation = this.exec(rt, instr, out, moveKind(move) === MOVE_CALL_FAILS);
        if (violation) return violation;
        return out[proc.statusSlot] === RUNNING ? this.runLocalSteps(rt, out) : null;
      }
      case MOVE_CRASH:
        return this.crash(rt, out);
      case MOVE_LEASE_EXPIRES: {
        const hold = rt.holds[moveSub(move)];
        out[hold.slot] = HOLD_EXPIRED;
        out[this.system.budgetSlots.leaseExpiry]--;
        this.event('fault', `the lease on ${hold.key.name} held by ${proc.name} expires; ${proc.name} does not know`);
        return null;
      }
      case MOVE_LEASE_RELEASED: {
        const hold = rt.holds[moveSub(move)];
        out[hold.slot] = HOLD_NONE;
        this.event('release', `the lease of crashed ${proc.name} on ${hold.key.name} runs out; the lock is free`);
        return null;
      }
    }
    throw new Error(`unknown move ${move}`);
  }

  private runLocalSteps(rt: Runtime, s: Int32Array): Outcome {
    const proc = rt.proc;
    while (s[proc.statusSlot] === RUNNING) {
      const instr = proc.program[s[proc.pcSlot]];
      if (!instr.local) return null;
      const violation = this.exec(rt, instr, s, false);
      if (violation) return violation;
    }
    return null;
  }

  /** Moves the process to `pc`, finishing it when that is the end. */
  private goto(rt: Runtime, s: Int32Array, pc: number, instr: CompiledInstr, failure: string): Outcome {
    if (pc === END) return this.finish(rt, s, DONE, instr);
    if (pc === ABORT) return this.abort(rt, s, failure, instr);
    s[rt.proc.pcSlot] = pc;
    return null;
  }

  private exec(rt: Runtime, instr: CompiledInstr, s: Int32Array, callFails: boolean): Outcome {
    const proc = rt.proc;
    const step = instr.step;
    if (this.log) this.executed.push(instr);
    switch (instr.op) {
      case 'read': {
        const value = instr.expr!(s);
        s[instr.localSlot!] = value;
        if (this.log && step.kind === 'read') this.event('read', `${step.local} = ${this.format(value, proc.operation.locals.get(step.local)!)}`);
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'branch': {
        const holds = instr.cond!(s) !== 0;
        if (this.log && step.kind === 'if') this.event('branch', `${exprText(step)} is ${holds}`);
        return this.goto(rt, s, holds ? instr.next : instr.alt, instr, '');
      }
      case 'await':
        if (this.log && step.kind === 'await') this.event('check', `waited until ${exprText(step)}`);
        return this.goto(rt, s, instr.next, instr, '');
      case 'require': {
        if (instr.cond!(s) !== 0) {
          if (this.log) this.event('check', `${step.text.replace(/^require /, '').replace(/ else abort .*$/, '')} holds`);
          return this.goto(rt, s, instr.next, instr, '');
        }
        return this.abort(rt, s, step.kind === 'require' ? step.message : 'requirement failed', instr);
      }
      case 'assert': {
        if (instr.cond!(s) !== 0 || !this.system.checks.assertions) return this.goto(rt, s, instr.next, instr, '');
        const message = step.kind === 'assert' ? step.message : 'assertion failed';
        return { kind: 'assertion', message: `${proc.name}: assertion failed at ${where(step)}: ${message}`, name: message, process: proc.name };
      }
      case 'write': {
        const result = this.write(rt, instr.target!, instr.value!(s), instr.fence ?? null, s);
        if (result === 'rejected') return this.goto(rt, s, instr.alt, instr, 'write rejected: a newer fencing token was already accepted');
        return result ?? this.goto(rt, s, instr.next, instr, '');
      }
      case 'cas': {
        const t = instr.target!;
        const instance = t.instance(s);
        const slot = this.system.instances[instance].base + t.offset;
        const current = s[slot];
        if (instr.from!.includes(current)) {
          const result = this.write(rt, t, instr.to!, null, s, 'cas');
          return result === 'rejected' ? null : (result ?? this.goto(rt, s, instr.next, instr, ''));
        }
        const mode = step.kind === 'cas' ? step.else : 'abort';
        if (this.log) this.event('cas', `cas ${this.system.instances[instance].name}.${t.field} failed: it is ${this.format(current, t.type)}`);
        if (mode === 'skip') return this.goto(rt, s, instr.next, instr, '');
        return this.abort(rt, s, step.kind === 'cas' ? step.message : 'cas failed', instr);
      }
      case 'atomic':
        return this.atomic(rt, instr, s);
      case 'acquire': {
        const shared = this.isShared(instr);
        const tryOnly = step.kind === 'acquire' && step.try;
        const key = instr.lock!.keyOf(s);
        if (tryOnly && !this.available(rt, instr.lock!, shared, s)) {
          if (this.log) this.event('acquire', `try-acquire ${key.name} failed: it is held`);
          return this.goto(rt, s, instr.alt, instr, '');
        }
        this.acquire(rt, key, shared, s);
        if (instr.keySlot !== undefined) s[instr.keySlot] = key.instance + 1;
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'release': {
        const key = instr.lock!.keyOf(s);
        const violation = this.release(rt, key, s, !instr.closesWith);
        if (instr.keySlot !== undefined) s[instr.keySlot] = 0;
        return violation ?? this.goto(rt, s, instr.next, instr, '');
      }
      case 'call': {
        const name = step.kind === 'call' ? step.name : 'call';
        if (callFails) {
          s[this.system.budgetSlots.callFailure]--;
          this.event('call', `call ${name} fails`);
          return this.goto(rt, s, instr.alt, instr, `call ${name} failed`);
        }
        if (this.log) this.event('call', `call ${name}${step.kind === 'call' && step.long ? ' (long-running)' : ''}`);
        return this.goto(rt, s, instr.next, instr, '');
      }
      case 'abort':
        return this.abort(rt, s, step.kind === 'abort' ? step.message : 'aborted', instr);
      case 'return':
        return this.finish(rt, s, DONE, instr);
    }
  }

  /** Writes `value` to a field; 'rejected' when a fenced write carries a stale token. */
  private write(
    rt: Runtime,
    target: NonNullable<CompiledInstr['target']>,
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

  private atomic(rt: Runtime, instr: CompiledInstr, s: Int32Array): Outcome {
    const shared = this.system.sharedEnd;
    this.rollback.set(s.subarray(0, shared));
    const logLength = this.log?.length ?? 0;
    const result = this.runAtomic(rt, instr.body!, s);
    if (result === 'ok') return this.goto(rt, s, instr.next, instr, '');
    if (result === 'return') return this.finish(rt, s, DONE, instr);
    if (typeof result === 'string') {
      s.set(this.rollback, 0);
      if (this.log) {
        this.log.length = logLength;
        this.event('end', 'the transaction rolls back');
      }
      return this.abort(rt, s, result.slice('abort:'.length), instr);
    }
    return result;
  }

  /** Runs an atomic body in place; 'abort:<why>' rolls it back. */
  private runAtomic(rt: Runtime, steps: AtomicStep[], s: Int32Array): 'ok' | 'return' | `abort:${string}` | Violation {
    for (const step of steps) {
      switch (step.op) {
        case 'read':
          s[step.slot] = step.expr(s);
          if (this.log && step.step.kind === 'read') {
            this.event('read', `${step.step.local} = ${this.format(s[step.slot], rt.proc.operation.locals.get(step.step.local)!)}`);
          }
          break;
        case 'if': {
          const result = this.runAtomic(rt, step.cond(s) !== 0 ? step.then : step.else, s);
          if (result !== 'ok') return result;
          break;
        }
        case 'require':
          if (step.cond(s) === 0) return `abort:${step.message}`;
          break;
        case 'assert':
          if (step.cond(s) === 0 && this.system.checks.assertions) {
            return {
              kind: 'assertion',
              message: `${rt.proc.name}: assertion failed at ${where(step.step)}: ${step.message}`,
              name: step.message,
              process: rt.proc.name,
            };
          }
          break;
        case 'write': {
          const result = this.write(rt, step.target, step.value(s), step.fence, s);
          if (result === 'rejected') return 'abort:write rejected: a newer fencing token was already accepted';
          if (result) return result;
          break;
        }
        case 'cas': {
          const t = step.target;
          const instance = t.instance(s);
          const current = s[this.system.instances[instance].base + t.offset];
          if (step.from.includes(current)) {
            const result = this.write(rt, t, step.to, null, s, 'cas');
            if (result && result !== 'rejected') return result;
          } else if (step.else !== 'skip') {
            return `abort:${step.message}`;
          } else if (this.log) {
            this.event('cas', `cas ${this.system.instances[instance].name}.${t.field} skipped: it is ${this.format(current, t.type)}`);
          }
          break;
        }
        case 'abort':
          return `abort:${step.message}`;
        case 'return':
          return 'return';
      }
    }
    return 'ok';
  }

  private acquire(rt: Runtime, key: LockKey, shared: boolean, s: Int32Array): void {
    const hold = rt.holdByKey.get(key.id)!;
    s[hold.slot] = shared ? HOLD_SHARED : HOLD_EXCLUSIVE;
    const c = hold.contenders;
    for (let i = 0; i < c.length; i++) if (s[c[i]] === HOLD_EXPIRED) s[c[i]] = HOLD_SUPERSEDED;
    let token = 0;
    if (key.policy.fencing) {
      const counter = this.system.tokenCounterSlot(key.id, hold.domain);
      token = ++s[counter];
      s[hold.tokenSlot] = token;
    }
    if (this.log) this.event('acquire', `acquire ${key.name}${shared ? ' (shared)' : ''}${token ? `, fencing token ${token}` : ''}`);
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
    s[hold.slot] = HOLD_NONE;
    if (hold.tokenSlot >= 0) s[hold.tokenSlot] = 0;
    if (this.log) {
      this.event('release', h === HOLD_EXPIRED || h === HOLD_SUPERSEDED ? `release ${key.name}: a no-op, its lease had expired` : `release ${key.name}`);
    }
    return null;
  }

  private abort(rt: Runtime, s: Int32Array, why: string, instr: CompiledInstr): Outcome {
    if (this.log) this.event('end', `${rt.proc.name} aborts: ${why}`);
    return this.finish(rt, s, ABORTED, instr);
  }

  /** Ends a process: `with` blocks release their locks; a lock still held is a leak. */
  private finish(rt: Runtime, s: Int32Array, status: number, instr: CompiledInstr): Outcome {
    const proc = rt.proc;
    for (let i = instr.withs.length - 1; i >= 0; i--) {
      const w = instr.withs[i];
      if (w.kind !== 'with') continue;
      const use = this.withUse(proc, w);
      this.release(rt, use.keyOf(s), s, false);
    }
    for (const hold of rt.holds) {
      const h = s[hold.slot];
      if (h === HOLD_EXCLUSIVE || h === HOLD_SHARED) {
        if (this.system.checks.lockLeak) {
          return { kind: 'lock-leak', message: `${proc.name} ${status === DONE ? 'finished' : 'aborted'} still holding ${hold.key.name}`, process: proc.name };
        }
        continue; // leaked: the lock stays held
      }
      s[hold.slot] = HOLD_NONE;
      if (hold.tokenSlot >= 0) s[hold.tokenSlot] = 0;
    }
    this.clearLocals(rt, s);
    s[proc.statusSlot] = status;
    if (this.log && status === DONE) this.event('end', `${proc.name} is done`);
    return null;
  }

  /** Per process (each binds its own arguments): a `with` step → the lock use its acquire compiled. */
  private readonly withUses = new Map<ProcessInfo, Map<object, CompiledLockUse>>();
  private withUse(proc: ProcessInfo, step: object): CompiledLockUse {
    let uses = this.withUses.get(proc);
    if (!uses) this.withUses.set(proc, (uses = new Map()));
    let use = uses.get(step);
    if (!use) {
      // The release that closes the block: it knows which instance the block locked.
      const instr = proc.program.find((i) => i.step === step && i.op === 'release' && i.closesWith)!;
      use = instr.lock!;
      uses.set(step, use);
    }
    return use;
  }

  private clearLocals(rt: Runtime, s: Int32Array): void {
    s[rt.proc.pcSlot] = 0;
    for (let i = rt.localsStart; i < rt.localsEnd; i++) s[i] = 0;
  }

  private crash(rt: Runtime, s: Int32Array): Outcome {
    const proc = rt.proc;
    s[this.system.budgetSlots.crash]--;
    this.event('fault', `${proc.name} crashes: its locals are lost`);
    for (const hold of rt.holds) {
      const h = s[hold.slot];
      if ((h === HOLD_EXCLUSIVE || h === HOLD_SHARED) && hold.key.policy.onCrash !== 'released') {
        s[hold.slot] = h === HOLD_EXCLUSIVE ? HOLD_CRASHED_EXCLUSIVE : HOLD_CRASHED_SHARED;
        this.event('fault', `${hold.key.name} stays held by the dead process (${hold.key.policy.onCrash})`);
      } else {
        if (h === HOLD_EXCLUSIVE || h === HOLD_SHARED) this.event('release', `${hold.key.name} is released by the crash`);
        s[hold.slot] = HOLD_NONE;
        if (hold.tokenSlot >= 0) s[hold.tokenSlot] = 0;
      }
    }
    this.clearLocals(rt, s);
    s[proc.statusSlot] = CRASHED;
    for (const recovery of rt.wakes) {
      if (s[recovery.statusSlot] !== DORMANT) continue;
      // A recovery with no steps is done as soon as it starts.
      s[recovery.statusSlot] = recovery.program.length === 0 ? DONE : RUNNING;
      s[recovery.pcSlot] = 0;
      this.event('fault', `${recovery.name} starts to recover from the crash`);
      const violation = this.runLocalSteps(this.runtimes[recovery.index], s);
      if (violation) return violation;
    }
    return null;
  }

  // ---- state properties ---------------------------------------------------

  /** The first invariant that `s` breaks. */
  brokenInvariant(s: Int32Array): Violation | null {
    if (!this.system.checks.invariants) return null;
    for (const inv of this.system.invariants) {
      if (inv.eval(s) === 0) {
        return { kind: 'invariant', name: inv.name, message: `invariant ${inv.name} is broken: ${this.explainInvariant(s)}` };
      }
    }
    return null;
  }

  private explainInvariant(s: Int32Array): string {
    return this.system.instances
      .map((i) => `${i.name} is '${i.resource.states[s[i.base]]}'`)
      .join(', ');
  }

  /** Deadlock (processes remain, none can move) or a resource stuck in a transitional state once all have ended. */
  terminalViolation(s: Int32Array): Violation | null {
    const system = this.system;
    if (!system.checks.deadlock && !system.checks.stuckTransitional) return null;
    let running = 0;
    const blocked: string[] = [];
    for (const rt of this.runtimes) {
      const proc = rt.proc;
      const status = s[proc.statusSlot];
      if (status === RUNNING) {
        running++;
        const instr = proc.program[s[proc.pcSlot]];
        if (this.enabled(rt, instr, s)) return null;
        blocked.push(`${proc.name} waits at ${where(instr.step)}`);
      } else if (status === CRASHED) {
        for (const hold of rt.holds) {
          const h = s[hold.slot];
          if ((h === HOLD_CRASHED_EXCLUSIVE || h === HOLD_CRASHED_SHARED) && hold.key.policy.onCrash === 'after-lease') return null;
        }
      }
    }
    if (running > 0) {
      if (!system.checks.deadlock) return null;
      return { kind: 'deadlock', message: `deadlock: ${blocked.join('; ')}` };
    }
    if (!system.checks.stuckTransitional) return null;
    for (const inst of system.instances) {
      const state = s[inst.base];
      if (inst.resource.stateKinds[state] === 'transitional') {
        return {
          kind: 'stuck-transitional',
          message: `every process has ended and ${inst.name} is stuck in transitional state '${inst.resource.states[state]}'`,
        };
      }
    }
    return null;
  }

  // ---- descriptions -------------------------------------------------------

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
    }
  }

  private event(kind: TraceEvent['kind'], text: string): void {
    if (this.log) this.log.push({ kind, text });
  }
}

function where(step: { where: string; label?: string }): string {
  return step.label ? `'${step.label}'` : step.where;
}

function exprText(step: { text: string }): string {
  return step.text.replace(/^(if|await) /, '');
}
