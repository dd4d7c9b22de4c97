/**
 * What the step functions need about each process beyond the compiled system,
 * worked out once per check: its holds (with the slots of everyone contending
 * for the same lock instance), the recoveries its crash wakes, and the range
 * of slots its locals occupy.
 */
import type { LockKey, ProcessInfo, System } from './system';

export interface Hold {
  keyId: number;
  key: LockKey;
  slot: number;
  tokenSlot: number;
  /** Hold slots of every process contending for the same lock instance (same domain), this one included. */
  contenders: Int32Array;
  domain: number;
}

export interface Runtime {
  proc: ProcessInfo;
  holds: Hold[];
  holdByKey: Map<number, Hold>;
  wakes: ProcessInfo[];
  localsStart: number;
  localsEnd: number;
}

export function buildRuntimes(system: System): Runtime[] {
  const holdsOf = (p: ProcessInfo): Hold[] =>
    [...p.holds].map(([keyId, slot]) => {
      const key = system.lockKeys[keyId];
      const domain = p.domain[key.policy.scope];
      const contenders = system.processes
        .filter((q) => q.holds.has(keyId) && q.domain[key.policy.scope] === domain)
        .map((q) => q.holds.get(keyId)!);
      return { keyId, key, slot, tokenSlot: p.tokens.get(keyId) ?? -1, contenders: Int32Array.from(contenders), domain };
    });
  return system.processes.map((proc) => {
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
