/** Turns a state vector into plain JSON a person can read (trace view, manual simulator, CLI). */
import {
  HOLD_CRASHED_EXCLUSIVE,
  HOLD_CRASHED_SHARED,
  HOLD_EXCLUSIVE,
  HOLD_EXPIRED,
  HOLD_SHARED,
  HOLD_SUPERSEDED,
  RUNNING,
  STATUS_NAMES,
} from './layout';
import { forEachAnalyzedStep } from '../model/analyzed';
import { flatten } from './program';
import type { Semantics } from './semantics';
import type { LockView, ProcessView, StateView } from './result';
import type { ProcessInfo } from './system';

export function viewState(semantics: Semantics, s: Int32Array): StateView {
  const system = semantics.system;
  const instances = system.instances.map((inst) => {
    const fields: Record<string, string | number | boolean> = {};
    let offset = 0;
    for (const [field, type] of inst.resource.fields) {
      const value = s[inst.base + offset++];
      if (field === 'state') continue;
      setOwn(fields, field, type.kind === 'int' ? value : type.kind === 'bool' ? value !== 0 : semantics.format(value, type));
    }
    const state = s[inst.base];
    const fences = fencesOf(system, inst.index, s);
    return {
      name: inst.name,
      type: inst.resource.name,
      state: inst.resource.states[state],
      stateKind: inst.resource.stateKinds[state],
      fields,
      ...(fences ? { fences } : {}),
    };
  });
  // A node- or process-scoped lock is one lock per node or OS process: one view each, named by its domain.
  const locks: LockView[] = system.lockKeys.flatMap((key) => {
    const byDomain = new Map<string | undefined, LockView>();
    const instance = key.instance < 0 ? null : system.instances[key.instance].name;
    for (const proc of system.processes) {
      const slot = proc.holds.get(key.id);
      if (slot === undefined) continue;
      const domain = key.policy.scope === 'node' ? proc.node : key.policy.scope === 'process' ? proc.osProcess : undefined;
      let view = byDomain.get(domain);
      if (!view) byDomain.set(domain, (view = { lock: key.policy.name, instance, ...(domain !== undefined ? { domain } : {}), holders: [], expired: [] }));
      const h = s[slot];
      if (h === HOLD_EXCLUSIVE || h === HOLD_SHARED) view.holders.push({ process: proc.name, mode: h === HOLD_SHARED ? 'shared' : 'exclusive' });
      if (h === HOLD_CRASHED_EXCLUSIVE || h === HOLD_CRASHED_SHARED) {
        view.holders.push({ process: proc.name, mode: h === HOLD_CRASHED_SHARED ? 'shared' : 'exclusive', note: 'crashed' });
      }
      if (h === HOLD_EXPIRED || h === HOLD_SUPERSEDED) view.expired.push(proc.name);
    }
    return byDomain.size ? [...byDomain.values()] : [{ lock: key.policy.name, instance, holders: [], expired: [] }];
  });
  const enabled = new Set<number>();
  semantics.forEachMove(s, (move) => {
    if (((move >>> 8) & 15) === 0) enabled.add(move >>> 12);
  });
  const processes: ProcessView[] = system.processes.map((proc) => {
    const status = s[proc.statusSlot];
    const instr = status === RUNNING ? proc.program[s[proc.pcSlot]] : null;
    const locals: Record<string, string | number | boolean> = {};
    if (status === RUNNING) {
      for (const [name, slot] of proc.locals) {
        const type = proc.operation.locals.get(name)!;
        setOwn(locals, name, type.kind === 'int' ? s[slot] : type.kind === 'bool' ? s[slot] !== 0 : semantics.format(s[slot], type));
      }
    }
    const unread = status === RUNNING ? unreadAt(proc, s[proc.pcSlot]) : [];
    const tokens = status === RUNNING ? tokensOf(system, proc, s) : null;
    return {
      name: proc.name,
      operation: proc.operation.name,
      node: proc.node,
      osProcess: proc.osProcess.slice(proc.node.length + 1),
      status: STATUS_NAMES[status],
      at: instr
        ? {
            path: instr.step.path,
            where: instr.step.where,
            ...(instr.step.label ? { label: instr.step.label } : {}),
            text: instr.closesWith ? `end of ${instr.step.text}` : instr.step.text,
          }
        : null,
      enabled: enabled.has(proc.index),
      locals,
      ...(unread.length ? { unread } : {}),
      ...(tokens ? { tokens } : {}),
    };
  });
  const b = system.budgetSlots;
  return {
    instances,
    locks,
    processes,
    faultsLeft: {
      crash: b.crash >= 0 ? s[b.crash] : 0,
      leaseExpiry: b.leaseExpiry >= 0 ? s[b.leaseExpiry] : 0,
      callFailure: b.callFailure >= 0 ? s[b.callFailure] : 0,
      ...(b.heartbeatLoss >= 0 ? { heartbeatLoss: s[b.heartbeatLoss] } : {}),
    },
  };
}

/** The fencing tokens an instance accepted, by lock (null when none yet). */
function fencesOf(system: Semantics['system'], instance: number, s: Int32Array): Record<string, number> | null {
  let fences: Record<string, number> | null = null;
  for (const lock of new Set(system.lockKeys.filter((k) => k.policy.fencing).map((k) => k.policy.name))) {
    const value = s[system.fenceSlot(lock, instance)];
    if (value > 0) setOwn((fences ??= {}), lock, value);
  }
  return fences;
}

/** The tokens a process holds, by lock instance name (null when none). */
function tokensOf(system: Semantics['system'], proc: ProcessInfo, s: Int32Array): Record<string, number> | null {
  let tokens: Record<string, number> | null = null;
  for (const [keyId, slot] of proc.tokens) if (s[slot] > 0) setOwn((tokens ??= {}), system.lockKeys[keyId].name, s[slot]);
  return tokens;
}

const unreadCache = new WeakMap<ProcessInfo, string[][]>();

/**
 * The locals that no path from the start to `pc` reads: the packed state
 * keeps 0 in their slots (not a value anyone read), so they show as unset.
 * Passes in pc order collect, for each pc, every local some path to it may
 * have read; a `repeat`'s back edge carries a round's reads to the loop head,
 * so the passes go on until nothing changes.
 */
function unreadAt(proc: ProcessInfo, pc: number): string[] {
  let table = unreadCache.get(proc);
  if (!table) {
    const program = flatten(proc.operation.steps);
    const mayHaveRead: Array<Set<string>> = program.map(() => new Set());
    for (let changed = true; changed; ) {
      changed = false;
      program.forEach((instr, i) => {
        const after = new Set(mayHaveRead[i]);
        if (instr.kind === 'read') after.add(instr.step.local);
        if (instr.kind === 'update' && instr.step.failedAs !== null) after.add(instr.step.failedAs); // set on the way into onFail
        if (instr.kind === 'atomic') forEachAnalyzedStep(instr.step.steps, (step) => {
            if (step.kind === 'read') after.add(step.local);
          });
        for (const next of [instr.next, instr.alt]) {
          if (next < 0 || next >= program.length) continue;
          for (const local of after) {
            if (mayHaveRead[next].has(local)) continue;
            mayHaveRead[next].add(local);
            changed = true;
          }
        }
      });
    }
    const locals = [...proc.locals.keys()];
    table = mayHaveRead.map((read) => locals.filter((local) => !read.has(local)));
    unreadCache.set(proc, table);
  }
  return table[pc] ?? [];
}

/** `record[key] = value`, except that a field or local called '__proto__' becomes a key instead of replacing the prototype. */
function setOwn(record: Record<string, string | number | boolean>, key: string, value: string | number | boolean): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
