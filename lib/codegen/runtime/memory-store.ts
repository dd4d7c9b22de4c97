// The memory store: runs guard plans on rows held in Maps (tests, single-process prototypes).
import {
  compareValues,
  evalCond,
  MissingRowError,
  own,
  runPlan,
  type GuardStore,
  type RowId,
  type RowSource,
  type Value,
} from './guard-plan';

/** Rows by resource, then by id; each row holds `state` and the other fields by model name. */
export type MemoryRows = Record<string, Map<RowId, Record<string, Value>>>;

/**
 * An in-memory store, for tests and single-process prototypes. Every guard runs
 * to completion without yielding to other tasks, so it is atomic in one process.
 */
export function memoryStore(rows: MemoryRows): GuardStore {
  const table = (resource: string) => {
    const t = own(rows, resource);
    if (!t) throw new TypeError(`memory store has no table for ${resource}`);
    return t;
  };
  const row = (resource: string, id: unknown): Record<string, Value> => {
    const r = table(resource).get(id as RowId);
    if (!r) throw new MissingRowError(resource, id);
    return r;
  };
  // Writes are buffered so a failed plan leaves the rows untouched.
  const makeSource = (pending: Map<Record<string, Value>, Record<string, Value>>): RowSource => {
    const current = (r: Record<string, Value>) => pending.get(r) ?? r;
    const source: RowSource = {
      field: async (resource, id, field) => {
        const v = own(current(row(resource, id)), field);
        if (v === undefined) throw new TypeError(`${resource} ${String(id)} has no field ${field}`);
        return v;
      },
      // #if fencing
      fieldOrNull: async (resource, id, field) => own(current(row(resource, id)), field) ?? null,
      // #endif
      count: async (resource, state) =>
        [...table(resource).values()].filter((r) => current(r).state === state).length,
      exists: async (cond, env) => {
        for (const id of table(cond.resource).keys()) {
          if (
            await evalCond(
              cond.where,
              { args: env.args, vars: { ...env.vars, [cond.variable]: id } },
              source,
            )
          )
            return true;
        }
        return false;
      },
      write: async (resource, id, field, value) => {
        const r = row(resource, id);
        pending.set(r, { ...current(r), [field]: value });
      },
      // #if fencing
      writeFenced: async (resource, id, field, value, fence) => {
        const r = row(resource, id);
        const held = own(current(r), fence.field);
        if (held !== undefined && Number(held) > Number(fence.token)) return false;
        pending.set(r, { ...current(r), [field]: value, [fence.field]: fence.token });
        return true;
      },
      // #endif
      compareAndSet: async (resource, id, field, from, to) => {
        const r = row(resource, id);
        const v = own(current(r), field);
        if (!from.some((f) => compareValues('==', v, f))) return false;
        pending.set(r, { ...current(r), [field]: to });
        return true;
      },
    };
    return source;
  };
  // One plan at a time: a plan's reads and writes see no other plan's in between.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const commit = (pending: Map<Record<string, Value>, Record<string, Value>>) => {
    for (const [r, next] of pending) Object.assign(r, next);
  };
  return {
    compareAndSet: (resource, id, field, from, to) =>
      exclusive(async () => {
        const pending = new Map<Record<string, Value>, Record<string, Value>>();
        const changed = await makeSource(pending).compareAndSet(resource, id, field, from, to);
        commit(pending);
        return changed;
      }),
    run: (plan, args) =>
      exclusive(async () => {
        const pending = new Map<Record<string, Value>, Record<string, Value>>();
        const result = await runPlan(plan, args, makeSource(pending));
        if (result.ok) commit(pending);
        return result;
      }),
  };
}
