/**
 * The lock table on a packed state: whether a lock instance is free for a
 * process, taking it (with its fencing token) and dropping a hold. No
 * logging and no checks: the executor and the faults decide what a change
 * means and say it.
 */
import { HOLD_EXCLUSIVE, HOLD_EXPIRED, HOLD_NONE, HOLD_SHARED, HOLD_SUPERSEDED, holdsExclusively, holdsInTable } from './layout';
import type { Hold, Runtime } from './runtime';
import type { CompiledLockUse, LockKey, System } from './system';

/** Whether `rt` can take the lock `use` names in `s` (exclusively, or shared). */
export function available(rt: Runtime, use: CompiledLockUse, shared: boolean, s: Int32Array): boolean {
  const hold = rt.holdByKey.get(use.keyOf(s).id)!;
  if (holdsInTable(s[hold.slot])) return false; // not re-entrant: a second acquire by the holder waits forever
  const c = hold.contenders;
  for (let i = 0; i < c.length; i++) {
    const h = s[c[i]];
    if (shared ? holdsExclusively(h) : holdsInTable(h)) return false;
  }
  return true;
}

/** Takes `key` for `rt`: a holder whose lease expired is superseded. Returns the fencing token handed out (0: none). */
export function takeLock(system: System, rt: Runtime, key: LockKey, shared: boolean, s: Int32Array): number {
  const hold = rt.holdByKey.get(key.id)!;
  s[hold.slot] = shared ? HOLD_SHARED : HOLD_EXCLUSIVE;
  const c = hold.contenders;
  for (let i = 0; i < c.length; i++) if (s[c[i]] === HOLD_EXPIRED) s[c[i]] = HOLD_SUPERSEDED;
  if (!key.policy.fencing) return 0;
  const token = ++s[system.tokenCounterSlot(key.id, hold.domain)];
  s[hold.tokenSlot] = token;
  return token;
}

/** Clears a hold and its fencing token. */
export function dropHold(hold: Hold, s: Int32Array): void {
  s[hold.slot] = HOLD_NONE;
  if (hold.tokenSlot >= 0) s[hold.tokenSlot] = 0;
}

/** Held in the lock table right now (not expired, not left behind by a crash). */
export function isLive(h: number): boolean {
  return h === HOLD_EXCLUSIVE || h === HOLD_SHARED;
}
