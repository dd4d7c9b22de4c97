/**
 * Checks a reported liveness lasso on the server's terms (verify.ts calls
 * this for a violation with `cycleStart`): its moves replay, pass no safety
 * violation, the last state is the state the cycle starts from, the cycle is
 * fair under weak fairness, and on it the named process never ends (and is
 * no daemon) or the named instance stays transitional. Packed states only.
 */
import { isDaemon } from '../model/daemon';
import { RUNNING } from './layout';
import { FAULT_KINDS } from './liveness-graph';
import { toViolation, type Violation } from './result';
import { MOVE_LEASE_RELEASED, moveKind, moveProcess } from './semantics';
import type { StepApi } from './step-api';

export type LassoCheck = { ok: true; violation: Violation } | { ok: false; path: string; message: string };

export function checkLasso(api: StepApi, moves: readonly number[], claimed: Violation): LassoCheck {
  const k = claimed.cycleStart ?? -1;
  if (claimed.kind !== 'non-termination' && claimed.kind !== 'stays-transitional') {
    return { ok: false, path: 'violation.kind', message: `a ${claimed.kind} violation has no cycle` };
  }
  if (k < 0 || k >= moves.length) return { ok: false, path: 'violation.cycleStart', message: `the cycle must start at a step of the trace (0..${moves.length - 1})` };
  const semantics = api.semantics;
  const system = api.system;
  const start = api.initial();
  if (start.violation) return { ok: false, path: 'moves', message: `the initial state has a ${start.violation.kind} violation` };
  let state = start.state;
  const cycle: Int32Array[] = [];
  for (let i = 0; i < moves.length; i++) {
    if (i >= k) cycle.push(state);
    let enabled = false;
    semantics.forEachMove(state, (m) => (enabled = m === moves[i]));
    if (!enabled) return { ok: false, path: `moves[${i}]`, message: 'this move is not enabled here' };
    const next = new Int32Array(system.size);
    const violation = semantics.apply(state, moves[i], next) ?? semantics.brokenInvariant(next) ?? semantics.terminalViolation(next);
    if (violation) return { ok: false, path: `moves[${i}]`, message: `it runs into a ${violation.kind} violation` };
    state = next;
  }
  if (!cycle[0].every((v, i) => v === state[i])) return { ok: false, path: 'violation.cycleStart', message: `the last state is not the state before step ${k + 1}: no cycle` };
  const cycleMoves = moves.slice(k);

  // Weak fairness: every process, and every crashed holder's lease, acts on the cycle or is disabled somewhere on it.
  const progress = (m: number) => !FAULT_KINDS.has(moveKind(m));
  for (const proc of system.processes) {
    if (cycleMoves.some((m) => progress(m) && moveKind(m) !== MOVE_LEASE_RELEASED && moveProcess(m) === proc.index)) continue;
    const disabledSomewhere = cycle.some((s) => {
      let enabled = false;
      semantics.forEachMove(s, (m) => (enabled = progress(m) && moveKind(m) !== MOVE_LEASE_RELEASED && moveProcess(m) === proc.index));
      return !enabled;
    });
    if (!disabledSomewhere) return { ok: false, path: 'violation.cycleStart', message: `the cycle is not fair: ${proc.name} can always move and never does` };
  }
  const leaseMovesOf = (s: Int32Array) => {
    const out: number[] = [];
    semantics.forEachMove(s, (m) => void (moveKind(m) === MOVE_LEASE_RELEASED && out.push(m)));
    return out;
  };
  for (const m of leaseMovesOf(cycle[0])) {
    if (!cycleMoves.includes(m) && cycle.every((s) => leaseMovesOf(s).includes(m))) {
      return { ok: false, path: 'violation.cycleStart', message: `the cycle is not fair: the lease of crashed ${system.processes[moveProcess(m)].name} always could run out and never does` };
    }
  }

  if (claimed.kind === 'non-termination') {
    const proc = system.processes.find((p) => p.name === (claimed.process ?? claimed.name));
    if (!proc) return { ok: false, path: 'violation.process', message: 'no such process' };
    if (isDaemon(proc.operation)) return { ok: false, path: 'violation.process', message: `${proc.name} runs an endless loop (a daemon): termination exempts it` };
    if (!cycle.every((s) => s[proc.statusSlot] === RUNNING)) return { ok: false, path: 'violation.process', message: `${proc.name} does not run throughout the cycle` };
  } else {
    const inst = system.instances.find((i) => i.name === claimed.name);
    if (!inst) return { ok: false, path: 'violation.name', message: 'no such instance' };
    if (!cycle.every((s) => inst.resource.stateKinds[s[inst.base]] === 'transitional')) {
      return { ok: false, path: 'violation.name', message: `${inst.name} leaves its transitional states on the cycle` };
    }
  }
  return { ok: true, violation: toViolation(claimed) };
}
