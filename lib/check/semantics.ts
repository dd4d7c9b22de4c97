/**
 * The one step function of Lockstep (docs/design.md section 2): which moves a
 * state enables and what each does. The BFS explorer, random simulation, the
 * manual simulator and the trace view all call this; nothing else implements
 * semantics. It is the entry point; the work is done by
 *
 * - executor.ts: running a step (atomic blocks included) compiled by instructions.ts,
 * - locks.ts: the lock table; faults.ts: crashes and leases,
 * - runtime.ts: what each process needs at run time.
 *
 * A move is an integer: process << 12 | kind << 8 | sub.
 */
import type { Type } from '../model/expr/types';
import { enabled, Executor, where, type Outcome } from './executor';
import { crash, expireLease, heartbeatLapses, leaseRunsOut } from './faults';
import { idleAwaits } from './daemon-idle';
import { CRASHED, HOLD_CRASHED_EXCLUSIVE, HOLD_CRASHED_SHARED, HOLD_EXCLUSIVE, HOLD_SHARED, RUNNING } from './layout';
import type { TraceEvent, Violation } from './result';
import { buildRuntimes, type Runtime } from './runtime';
import type { CompiledInstr } from './instructions';
import type { ProcessInfo, System } from './system';
import { specialize, STEP_DONE, type SpecializedSteps } from './specialize';

export type { TraceEvent, Violation } from './result';

export const MOVE_STEP = 0;
/** The other outcome of a step: an external call that fails. */
export const MOVE_CALL_FAILS = 1;
export const MOVE_CRASH = 2;
export const MOVE_LEASE_EXPIRES = 3;
/** The lease of a crashed holder runs out and the lock is freed (not a fault: it always happens eventually). */
export const MOVE_LEASE_RELEASED = 4;
/** A true heartbeat field turns false (heartbeatLoss fault); its `sub` is the index in `system.heartbeats`, its process 0 (it has none). */
export const MOVE_HEARTBEAT_LAPSES = 5;

export const moveProcess = (move: number) => move >>> 12;
export const moveKind = (move: number) => (move >>> 8) & 15;
export const moveSub = (move: number) => move & 255;
const encodeMove = (process: number, kind: number, sub = 0) => (process << 12) | (kind << 8) | sub;
const MOVE_CODES = {
  encode: encodeMove,
  STEP: MOVE_STEP,
  CALL_FAILS: MOVE_CALL_FAILS,
  CRASH: MOVE_CRASH,
  LEASE_EXPIRES: MOVE_LEASE_EXPIRES,
  LEASE_RELEASED: MOVE_LEASE_RELEASED,
  HEARTBEAT_LAPSES: MOVE_HEARTBEAT_LAPSES,
};

export class Semantics {
  private readonly runtimes: Runtime[];
  private readonly executor: Executor;
  /** The previous member of each process's symmetry group (-1: none). */
  private readonly twinBefore: Int32Array;
  /** Per process, by pc: 1 where it idles (an await in an endless loop), which is not a deadlock. */
  private readonly idle: Uint8Array[];
  /** The step function specialised to this scenario (specialize.ts); null: the interpreter does everything. */
  private readonly fast: SpecializedSteps | null;

  /** `specialized: false` runs every move through the interpreter (what the specialised code is tested against). */
  constructor(
    readonly system: System,
    options: { specialized?: boolean } = {},
  ) {
    this.twinBefore = new Int32Array(system.processes.length).fill(-1);
    for (const group of system.symmetryGroups) group.forEach((p, i) => i > 0 && (this.twinBefore[p] = group[i - 1]));
    this.runtimes = buildRuntimes(system);
    this.executor = new Executor(system, this.runtimes);
    this.idle = system.processes.map((p) => idleAwaits(p.operation.steps, p.program));
    this.fast = options.specialized === false ? null : specialize(system, this.runtimes, this.twinBefore, MOVE_CODES);
  }

  /** When set, steps append what they read, wrote, acquired or released. */
  get log(): TraceEvent[] | null {
    return this.executor.log;
  }
  set log(log: TraceEvent[] | null) {
    this.executor.log = log;
  }

  /** When `log` is set: the instructions run by the last move (the visible one and merged local ones). */
  get executed(): CompiledInstr[] {
    return this.executor.executed;
  }

  /** The initial state, with every process's leading local-only steps already run. */
  initial(): { state: Int32Array; violation: Violation | null } {
    const s = this.system.initial.slice();
    for (const rt of this.runtimes) {
      if (s[rt.proc.statusSlot] !== RUNNING) continue;
      const violation = this.executor.runLocalSteps(rt, s);
      if (violation) return { state: s, violation };
    }
    return { state: s, violation: null };
  }

  // ---- enumeration ---------------------------------------------------------

  /** Upper bound on the number of moves a state can enable (the size `listMoves` needs). */
  get maxMoves(): number {
    return this.runtimes.reduce((n, rt) => n + 3 + rt.holds.length, 0) + this.system.heartbeats.length;
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
    if (this.fast !== null) return this.fast.listMoves(s, out, skipSymmetric);
    const system = this.system;
    const budgets = system.budgetSlots;
    const crashes = budgets.crash >= 0 ? s[budgets.crash] : 0;
    const expiries = budgets.leaseExpiry >= 0 ? s[budgets.leaseExpiry] : 0;
    const failures = budgets.callFailure >= 0 ? s[budgets.callFailure] : 0;
    const lapses = budgets.heartbeatLoss >= 0 ? s[budgets.heartbeatLoss] : 0;
    let n = 0;
    for (let p = 0; p < this.runtimes.length; p++) {
      const rt = this.runtimes[p];
      const proc = rt.proc;
      const status = s[proc.statusSlot];
      if (status === RUNNING) {
        if (skipSymmetric && this.twinBefore[p] >= 0 && this.sameAsEarlierTwin(s, proc)) continue;
        const instr = proc.program[s[proc.pcSlot]];
        if (enabled(rt, instr, s, system)) out[n++] = encodeMove(p, MOVE_STEP);
        if (failures > 0 && instr.kind === 'call' && instr.step.mayFail) out[n++] = encodeMove(p, MOVE_CALL_FAILS);
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
    if (lapses > 0) {
      const heartbeats = system.heartbeats;
      for (let k = 0; k < heartbeats.length; k++) if (s[heartbeats[k].slot] !== 0) out[n++] = encodeMove(0, MOVE_HEARTBEAT_LAPSES, k);
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

  // ---- applying a move ----------------------------------------------------

  /** Writes the successor of `s` under `move` into `out`; returns the violation the move causes, if any. */
  apply(s: Int32Array, move: number, out: Int32Array): Outcome {
    // The specialised step takes a process's step while nothing is logged; what it cannot take, the interpreter takes afresh.
    if (this.fast !== null && this.executor.log === null && moveKind(move) === MOVE_STEP) {
      if (this.fast.step(s, out, moveProcess(move)) === STEP_DONE) return null;
    }
    out.set(s);
    if (moveKind(move) === MOVE_HEARTBEAT_LAPSES) return heartbeatLapses(this.executor, moveSub(move), out);
    const rt = this.runtimes[moveProcess(move)];
    const proc = rt.proc;
    const x = this.executor;
    switch (moveKind(move)) {
      case MOVE_STEP:
      case MOVE_CALL_FAILS: {
        const violation = x.exec(rt, proc.program[out[proc.pcSlot]], out, moveKind(move) === MOVE_CALL_FAILS);
        if (violation) return violation;
        return out[proc.statusSlot] === RUNNING ? x.runLocalSteps(rt, out) : null;
      }
      case MOVE_CRASH:
        return crash(x, rt, out);
      case MOVE_LEASE_EXPIRES:
        return expireLease(x, rt, moveSub(move), out);
      case MOVE_LEASE_RELEASED:
        return leaseRunsOut(x, rt, moveSub(move), out);
    }
    throw new Error(`unknown move ${move}`);
  }

  // ---- state properties ---------------------------------------------------

  /** The first invariant that `s` breaks. */
  brokenInvariant(s: Int32Array): Violation | null {
    if (!this.system.checks.invariants) return null;
    const broken = this.fast !== null ? this.fast.brokenInvariant(s) : this.system.invariants.findIndex((inv) => inv.eval(s) === 0);
    if (broken < 0) return null;
    const inv = this.system.invariants[broken];
    return { kind: 'invariant', name: inv.name, message: `invariant ${inv.name} is broken: ${this.explainInvariant(s)}` };
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
    if (this.fast !== null && this.fast.someStepEnabled(s)) return null;
    let running = 0;
    let idle = 0;
    const blocked: string[] = [];
    for (const rt of this.runtimes) {
      const proc = rt.proc;
      const status = s[proc.statusSlot];
      if (status === RUNNING) {
        const instr = proc.program[s[proc.pcSlot]];
        if (enabled(rt, instr, s, system)) return null;
        // A daemon waiting for work in its endless loop is quiescent, not stuck.
        if (this.idle[proc.index][instr.pc] === 1) {
          idle++;
          continue;
        }
        running++;
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
          message: `every process has ended${idle > 0 ? ' (or idles in its endless loop)' : ''} and ${inst.name} is stuck in transitional state '${inst.resource.states[state]}'`,
        };
      }
    }
    return null;
  }

  // ---- descriptions -------------------------------------------------------

  format(value: number, type: Type): string {
    return this.executor.format(value, type);
  }
}
