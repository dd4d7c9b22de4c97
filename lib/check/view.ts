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
import type { Semantics } from './semantics';
import type { LockView, ProcessView, StateView } from './result';

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
    return {
      name: inst.name,
      type: inst.resource.name,
      state: inst.resource.states[state],
      stateKind: inst.resource.stateKinds[state],
      fields,
    };
  });
  const locks: LockView[] = system.lockKeys.map((key) => {
    const view: LockView = { lock: key.policy.name, instance: key.instance < 0 ? null : system.instances[key.instance].name, holders: [], expired: [] };
    for (const proc of system.processes) {
      const slot = proc.holds.get(key.id);
      if (slot === undefined) continue;
      const h = s[slot];
      if (h === HOLD_EXCLUSIVE || h === HOLD_SHARED) view.holders.push({ process: proc.name, mode: h === HOLD_SHARED ? 'shared' : 'exclusive' });
      if (h === HOLD_CRASHED_EXCLUSIVE || h === HOLD_CRASHED_SHARED) {
        view.holders.push({ process: proc.name, mode: h === HOLD_CRASHED_SHARED ? 'shared' : 'exclusive', note: 'crashed' });
      }
      if (h === HOLD_EXPIRED || h === HOLD_SUPERSEDED) view.expired.push(proc.name);
    }
    return view;
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
    return {
      name: proc.name,
      operation: proc.operation.name,
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
    },
  };
}

/** `record[key] = value`, except that a field or local called '__proto__' becomes a key instead of replacing the prototype. */
function setOwn(record: Record<string, string | number | boolean>, key: string, value: string | number | boolean): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
