/**
 * Paths into the document in the same notation as validation issues:
 * `operations[1].steps[2].cond` ⇄ `['operations', 1, 'steps', 2, 'cond']`.
 * Reading and immutable writing at a path; structure is shared where unchanged.
 */
import { formatPath, parsePath } from '@/lib/model/issues';

export type Segment = string | number;

// One notation for issue paths and editor paths: the model's (quoted keys included).
export { parsePath };
export const formatSegments = (segments: readonly Segment[]): string => formatPath(segments);

/** `a.b` + `c[0]` → `a.b.c[0]`; an empty base returns the tail. */
export function joinPath(base: string, tail: string | number): string {
  if (typeof tail === 'number') return `${base}[${tail}]`;
  return base ? `${base}.${tail}` : tail;
}

export function getIn(root: unknown, path: string | readonly Segment[]): unknown {
  const segments = typeof path === 'string' ? parsePath(path) : path;
  let cur: unknown = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** Returns a copy of `root` with `update(old)` at `path`; `undefined` removes an object key. Missing containers are created. */
export function updateIn<T>(root: T, path: string | readonly Segment[], update: (old: unknown) => unknown): T {
  const segments = typeof path === 'string' ? parsePath(path) : path;
  const go = (node: unknown, i: number): unknown => {
    if (i === segments.length) return update(node);
    const key = segments[i];
    if (typeof key === 'number') {
      const list = Array.isArray(node) ? [...node] : [];
      list[key] = go(list[key], i + 1);
      return list;
    }
    const obj = node !== null && typeof node === 'object' && !Array.isArray(node) ? { ...(node as Record<string, unknown>) } : {};
    const next = go(obj[key], i + 1);
    if (next === undefined) delete obj[key];
    else obj[key] = next;
    return obj;
  };
  return go(root, 0) as T;
}

export const setIn = <T>(root: T, path: string | readonly Segment[], value: unknown): T => updateIn(root, path, () => value);
