/**
 * The fault moves (docs/design.md section 2): a process crashes, a lease expires
 * under a running holder, a crashed holder's lease runs out, and a heartbeat
 * lapses while its owner still runs (heartbeatLoss). Each changes
 * the packed state in place and says what happened through the executor's log.
 */
import { CRASHED, DONE, DORMANT, HOLD_CRASHED_EXCLUSIVE, HOLD_CRASHED_SHARED, HOLD_EXCLUSIVE, HOLD_EXPIRED, HOLD_NONE, RUNNING } from './layout';
import { dropHold, isLive } from './locks';
import type { Executor, Outcome } from './executor';
import type { Runtime } from './runtime';

/** The process crashes: its locals vanish, its locks follow their crash rule, and the recoveries it triggers start. */
export function crash(x: Executor, rt: Runtime, s: Int32Array): Outcome {
  const proc = rt.proc;
  s[x.system.budgetSlots.crash]--;
  x.event('fault', `${proc.name} crashes: its locals are lost`);
  for (const hold of rt.holds) {
    const h = s[hold.slot];
    if (isLive(h) && hold.key.policy.onCrash !== 'released') {
      s[hold.slot] = h === HOLD_EXCLUSIVE ? HOLD_CRASHED_EXCLUSIVE : HOLD_CRASHED_SHARED;
      x.event('fault', `${hold.key.name} stays held by the dead process (${hold.key.policy.onCrash})`);
    } else {
      if (isLive(h)) x.event('release', `${hold.key.name} is released by the crash`);
      dropHold(hold, s);
    }
  }
  x.clearLocals(rt, s);
  s[proc.statusSlot] = CRASHED;
  for (const recovery of rt.wakes) {
    if (s[recovery.statusSlot] !== DORMANT) continue;
    // A recovery with no steps is done as soon as it starts.
    s[recovery.statusSlot] = recovery.program.length === 0 ? DONE : RUNNING;
    s[recovery.pcSlot] = 0;
    x.event('fault', `${recovery.name} starts to recover from the crash`);
    const violation = x.runLocalSteps(x.runtimes[recovery.index], s);
    if (violation) return violation;
  }
  return null;
}

/** The lease on the process's k-th hold expires; the process does not know. */
export function expireLease(x: Executor, rt: Runtime, k: number, s: Int32Array): Outcome {
  const hold = rt.holds[k];
  s[hold.slot] = HOLD_EXPIRED;
  s[x.system.budgetSlots.leaseExpiry]--;
  x.event('fault', `the lease on ${hold.key.name} held by ${rt.proc.name} expires; ${rt.proc.name} does not know`);
  return null;
}

/** The lease of a crashed holder's k-th hold runs out and the lock is free. */
export function leaseRunsOut(x: Executor, rt: Runtime, k: number, s: Int32Array): Outcome {
  const hold = rt.holds[k];
  s[hold.slot] = HOLD_NONE;
  x.event('release', `the lease of crashed ${rt.proc.name} on ${hold.key.name} runs out; the lock is free`);
  return null;
}

/** The k-th heartbeat field (true) turns false: its owner may be slow, not dead; nobody is told. */
export function heartbeatLapses(x: Executor, k: number, s: Int32Array): Outcome {
  const heartbeat = x.system.heartbeats[k];
  s[heartbeat.slot] = 0;
  s[x.system.budgetSlots.heartbeatLoss]--;
  const instance = x.system.instances[heartbeat.instance].name;
  x.event('fault', `heartbeat of ${instance} lapsed: ${heartbeat.name} true → false`);
  return null;
}
