/**
 * The step API: enabled moves of a state and the result of taking one. The
 * manual simulator, the trace view and trace reconstruction use it, so they
 * share the checker's semantics exactly.
 */
import type { MoveKind, StateView, TraceStep, Violation } from './result';
import {
  MOVE_CALL_FAILS,
  MOVE_CRASH,
  MOVE_HEARTBEAT_LAPSES,
  MOVE_LEASE_EXPIRES,
  MOVE_LEASE_RELEASED,
  moveKind,
  moveProcess,
  moveSub,
  Semantics,
} from './semantics';
import type { System } from './system';
import { viewState } from './view';

export interface MoveOption {
  move: number;
  kind: MoveKind;
  process: string;
  /** What taking it means, e.g. "deleteShare: cas share.state: [available] -> deleting else abort". */
  description: string;
}

const KINDS: MoveKind[] = ['step', 'call-fails', 'crash', 'lease-expires', 'lease-released', 'heartbeat-lapses'];

export class StepApi {
  readonly semantics: Semantics;

  constructor(readonly system: System) {
    this.semantics = new Semantics(system);
  }

  initial(): { state: Int32Array; violation: Violation | null } {
    return this.semantics.initial();
  }

  /** Every move enabled in `state`, faults included. */
  moves(state: Int32Array): MoveOption[] {
    const out: MoveOption[] = [];
    this.semantics.forEachMove(state, (move) => {
      out.push(this.describe(state, move));
    });
    return out;
  }

  describe(state: Int32Array, move: number): MoveOption {
    if (moveKind(move) === MOVE_HEARTBEAT_LAPSES) {
      // No process takes it: the trace files it under the instance whose heartbeat lapsed.
      const heartbeat = this.system.heartbeats[moveSub(move)];
      const instance = this.system.instances[heartbeat.instance].name;
      return { move, kind: 'heartbeat-lapses', process: instance, description: `the heartbeat of ${instance} lapses (${heartbeat.name} becomes false)` };
    }
    const proc = this.system.processes[moveProcess(move)];
    const kind = KINDS[moveKind(move)];
    let description: string;
    switch (moveKind(move)) {
      case MOVE_CALL_FAILS: {
        const instr = proc.program[state[proc.pcSlot]];
        description = `${proc.name}: ${instr.step.text} — the call fails`;
        break;
      }
      case MOVE_CRASH:
        description = `${proc.name} crashes`;
        break;
      case MOVE_LEASE_EXPIRES:
      case MOVE_LEASE_RELEASED: {
        const keyId = [...proc.holds.keys()][moveSub(move)];
        const key = this.system.lockKeys[keyId];
        description =
          moveKind(move) === MOVE_LEASE_EXPIRES
            ? `the lease of ${proc.name} on ${key.name} expires`
            : `the lease of crashed ${proc.name} on ${key.name} runs out`;
        break;
      }
      default: {
        const instr = proc.program[state[proc.pcSlot]];
        description = `${proc.name}: ${instr.closesWith ? `end of ${instr.step.text}` : instr.step.text}`;
      }
    }
    return { move, kind, process: proc.name, description };
  }

  /** Takes `move` from `state`: the next state, what happened, and the violation it caused, if any. */
  step(state: Int32Array, move: number): { state: Int32Array; step: TraceStep; violation: Violation | null } {
    const next = new Int32Array(this.system.size);
    const semantics = this.semantics;
    semantics.log = [];
    semantics.executed.length = 0;
    let violation: Violation | null;
    try {
      violation = semantics.apply(state, move, next);
    } finally {
      // keep log until copied below
    }
    const events = semantics.log;
    const steps = semantics.executed.map((instr) => ({
      path: instr.step.path,
      where: instr.step.where,
      ...(instr.step.label ? { label: instr.step.label } : {}),
      text: instr.closesWith ? `end of ${instr.step.text}` : instr.step.text,
    }));
    semantics.log = null;
    semantics.executed.length = 0;
    violation = violation ?? semantics.brokenInvariant(next) ?? semantics.terminalViolation(next);
    const option = this.describe(state, move);
    return {
      state: next,
      violation,
      step: { move, kind: option.kind, process: option.process, steps, events, state: this.view(next) },
    };
  }

  view(state: Int32Array): StateView {
    return viewState(this.semantics, state);
  }
}
