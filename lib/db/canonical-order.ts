/**
 * One key order for stored JSON, whatever the database: PostgreSQL's jsonb
 * keeps keys sorted its own way (shortest first), SQLite keeps the order they
 * were written in. Reading every document through `canonicalOrder` makes both
 * databases serve (and export) byte-identical JSON for the same document.
 *
 * The order depends only on the set of keys: the model schema's own keys in a
 * fixed, readable order (`name` first, `layout` last), then any other key
 * (record keys: resource and state names in `layout`, lock names…) by UTF-16
 * code units. Iterative, linear in the size of the value.
 */
const KNOWN = [
  '$schema', 'name', 'kind', 'label', 'description', 'verdict', 'error',
  'key', 'resource', 'values', 'min', 'max', 'type', 'initial', 'states', 'transitions', 'from', 'to', 'fields',
  'backend', 'scope', 'onCrash', 'leaseCanExpire', 'fencing', 'lock', 'on', 'target', 'value', 'local', 'expr', 'cond',
  'then', 'else', 'fencedBy', 'onFail', 'steps', 'shared', 'try', 'timeout', 'until', 'where', 'op', 'filters', 'set', 'failedAs', 'long', 'mayFail', 'message', 'params',
  'checks', 'invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite', 'termination', 'leavesTransitional',
  'operation', 'args', 'node', 'osProcess', 'nodes', 'osProcesses', 'instances', 'state', 'processes', 'count', 'recovery', 'after',
  'faults', 'crash', 'leaseExpiry', 'callFailure', 'heartbeatLoss', 'heartbeat', 'locks', 'expect', 'x', 'y',
  'resources', 'operations', 'scenarios', 'layout',
];
const RANK = new Map(KNOWN.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a);
  const rb = RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of a JSON value with every object's keys in the canonical order. */
export function canonicalOrder<T>(value: T): T {
  const root: { v: unknown } = { v: undefined };
  // Each entry: a source value and where its copy goes.
  const stack: Array<[unknown, Record<string | number, unknown>, string | number]> = [[value, root as Record<string, unknown>, 'v']];
  while (stack.length > 0) {
    const [src, parent, slot] = stack.pop()!;
    if (src === null || typeof src !== 'object') {
      parent[slot] = src;
    } else if (Array.isArray(src)) {
      const copy: unknown[] = new Array(src.length);
      parent[slot] = copy;
      for (let i = 0; i < src.length; i++) stack.push([src[i], copy as unknown as Record<number, unknown>, i]);
    } else {
      const copy: Record<string, unknown> = {};
      parent[slot] = copy;
      const keys = Object.keys(src).sort(compareKeys);
      // Keys are created now, in order; values are filled in as the stack unwinds.
      for (const k of keys) Object.defineProperty(copy, k, { value: undefined, writable: true, enumerable: true, configurable: true });
      for (const k of keys) stack.push([(src as Record<string, unknown>)[k], copy, k]);
    }
  }
  return root.v as T;
}
