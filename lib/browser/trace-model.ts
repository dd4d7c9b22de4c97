/**
 * Pure helpers behind the trace view and the manual simulator: what changed
 * between two states, which edge of each state machine a step took, and the
 * violation in one sentence.
 */
import type { LockView, ProcessView, StateView, Violation } from '@/lib/check';

export interface TransitionTaken {
  instance: string;
  type: string;
  from: string;
  to: string;
}

/** Instances whose state moved between `prev` and `next`, in instance order. */
export function transitionsTaken(prev: StateView | null, next: StateView): TransitionTaken[] {
  if (!prev) return [];
  const out: TransitionTaken[] = [];
  next.instances.forEach((inst, i) => {
    const before = prev.instances[i];
    if (before && before.state !== inst.state) out.push({ instance: inst.name, type: inst.type, from: before.state, to: inst.state });
  });
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed from `prev` to `next`: instances (state or any field), locks (holders or expiries), processes. */
export function changes(prev: StateView | null, next: StateView): { instances: Set<string>; locks: Set<string>; processes: Set<string> } {
  const out = { instances: new Set<string>(), locks: new Set<string>(), processes: new Set<string>() };
  if (!prev) return out;
  next.instances.forEach((inst, i) => {
    const b = prev.instances[i];
    if (!b || b.state !== inst.state || !same(b.fields, inst.fields)) out.instances.add(inst.name);
  });
  next.locks.forEach((lock, i) => {
    const b = prev.locks[i];
    if (!b || !same(b.holders, lock.holders) || !same(b.expired, lock.expired)) out.locks.add(lockLabel(lock));
  });
  next.processes.forEach((p, i) => {
    const b = prev.processes[i];
    if (!b || b.status !== p.status || !same(b.at, p.at) || !same(b.locals, p.locals)) out.processes.add(p.name);
  });
  return out;
}

/** `share-lock(share1)`, and for a node- or process-scoped lock the copy's domain too: `share-lock(share1)@api1`. */
export function lockLabel(lock: Pick<LockView, 'lock' | 'instance' | 'domain'>): string {
  const base = lock.instance ? `${lock.lock}(${lock.instance})` : lock.lock;
  return lock.domain ? `${base}@${lock.domain}` : base;
}

/** Where a lane's process runs: "on api1 · OS process main" (null for views stored before this was recorded). */
export function placeOf(p: Pick<ProcessView, 'node' | 'osProcess'> | undefined): string | null {
  if (!p?.node) return null;
  return `on ${p.node} · OS process ${p.osProcess ?? 'main'}`;
}

/** Shown for a local no step has read yet (its slot holds 0, not a value). */
export const UNSET = '—';

/** A process's locals as `name=value`, unread ones as `name=—`. */
export function localsText(p: Pick<ProcessView, 'locals' | 'unread'>): string {
  const unread = new Set(p.unread ?? []);
  return Object.entries(p.locals)
    .map(([k, v]) => `${k}=${unread.has(k) ? UNSET : String(v)}`)
    .join(' ');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The checker's step texts name a lock instance without its domain
 * ("acquire share-lock(share1)"): adds the domain of the copy `process`
 * contends for, as `view` names it ("acquire share-lock(share1)@api1").
 */
export function qualifyLockNames(text: string, process: string, view: StateView): string {
  const p = view.processes.find((x) => x.name === process);
  if (!p?.node) return text;
  const domains = new Set([p.node, `${p.node}/${p.osProcess ?? 'main'}`]);
  let out = text;
  const done = new Set<string>();
  for (const lock of view.locks) {
    if (!lock.domain || !domains.has(lock.domain)) continue;
    const base = lockLabel({ lock: lock.lock, instance: lock.instance });
    if (done.has(base)) continue;
    done.add(base);
    out = out.replace(new RegExp(`(?<![\\w-])${escape(base)}(?![\\w(@-])`, 'g'), lockLabel(lock));
  }
  return out;
}

/**
 * The violation in one sentence, e.g. "share1 is 'deleted' while snap1 is
 * 'creating': invariant no-snapshot-of-deleted-share".
 */
export function explainViolation(v: Violation): string {
  // Liveness: the full sentence (who starves, which steps repeat) follows in the message.
  if (v.kind === 'non-termination') return `${v.process ?? v.name ?? 'a process'} never ends, under weak fairness`;
  if (v.kind === 'stays-transitional') return `${v.name ?? 'an instance'} stays transitional for ever, under weak fairness`;
  if (v.kind === 'invariant') {
    const m = /^invariant (\S+) is broken: (.+)$/.exec(v.message);
    if (m) {
      const parts = m[2].split(', ');
      const what = parts.length > 1 ? `${parts[0]} while ${parts.slice(1).join(' and ')}` : parts[0];
      return `${what}: invariant ${m[1]}`;
    }
  }
  const label = v.kind.replace(/-/g, ' ');
  const message = v.message.replace(/\.$/, '');
  return message.toLowerCase().includes(label) ? message : `${message}: ${label}${v.name ? ` ${v.name}` : ''}`;
}

/** Clamps a requested step into [0, length]. */
export function clampStep(step: number | null | undefined, length: number): number {
  if (step === null || step === undefined || !Number.isFinite(step)) return length;
  return Math.max(0, Math.min(length, Math.trunc(step)));
}
