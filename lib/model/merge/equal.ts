/**
 * JSON equality and hashing for the merge: absent and `undefined` are the same
 * thing (an optional key left out), and key order never matters.
 */

export type Json = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A canonical text for a JSON value (sorted keys, undefined keys dropped): equal values, equal texts. */
export function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Deep equality, walking both values (`{ a: undefined }` equals `{}`). */
function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    for (const key of Object.keys(a)) if (!deepEqual(a[key], b[key])) return false;
    for (const key of Object.keys(b)) if (!(key in a) && b[key] !== undefined) return false;
    return true;
  }
  return false;
}

/**
 * A 64-bit hash of a JSON value (two 32-bit lanes), key order ignored, cached
 * per object: the merge compares the same subtrees at every level and aligns
 * lists by their items' fingerprints (documents are not mutated while
 * merging; the cache holds them weakly).
 */
type Hash = readonly [number, number];
const hashCache = new WeakMap<object, Hash>();

function hashText(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** Keys repeat across a document (a few dozen distinct ones): hash each once. */
const keyHashes = new Map<string, Hash>();
function keyHash(key: string): Hash {
  let hash = keyHashes.get(key);
  if (!hash) {
    hash = [hashText(key, 0x811c9dc5), hashText(key, 0x2545f491)];
    if (keyHashes.size < 1024) keyHashes.set(key, hash);
  }
  return hash;
}

const mixInto = (h: number, x: number) => Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);

function hashOf(value: Json): Hash {
  if (typeof value !== 'object' || value === null) {
    const text = `${typeof value}:${String(value)}`;
    return [hashText(text, 0x811c9dc5), hashText(text, 0x2545f491)];
  }
  const cached = hashCache.get(value);
  if (cached) return cached;
  let a: number;
  let b: number;
  if (Array.isArray(value)) {
    a = 0x5bd1e995;
    b = 0x1b873593;
    for (const item of value) {
      const [x, y] = hashOf(item);
      a = mixInto(a, x);
      b = mixInto(b, y);
    }
  } else {
    // Key order must not matter: combine the entries with a commutative sum.
    a = 0x27d4eb2f;
    b = 0x165667b1;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (record[key] === undefined) continue;
      const [x, y] = hashOf(record[key]);
      const [k, l] = keyHash(key);
      a = (a + mixInto(k, x)) | 0;
      b = (b + mixInto(l, y)) | 0;
    }
  }
  const hash: Hash = [a, b];
  hashCache.set(value, hash);
  return hash;
}

/** The value's hash as text: the key lists are aligned by. */
export function fingerprint(value: Json): string {
  const [a, b] = hashOf(value);
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** Deep equality of JSON values; `{ a: undefined }` equals `{}`. Different hashes settle most comparisons at once. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const [x, y] = hashOf(a);
  const [u, v] = hashOf(b);
  return x === u && y === v && deepEqual(a, b);
}

/** The leaves of a JSON value as `path=value` texts, list indexes left out (so an insert does not shift every leaf). */
function leaves(value: Json, path: string, out: Map<string, number>): void {
  if (Array.isArray(value)) {
    for (const item of value) leaves(item, `${path}[]`, out);
  } else if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) if (v !== undefined) leaves(v, `${path}.${key}`, out);
  } else {
    const leaf = `${path}=${JSON.stringify(value)}`;
    out.set(leaf, (out.get(leaf) ?? 0) + 1);
  }
}

const bagCache = new WeakMap<object, { ignore: string; bag: Map<string, number> }>();

function bagOf(value: Json, ignore: readonly string[]): Map<string, number> {
  const key = ignore.join(',');
  const cached = isRecord(value) ? bagCache.get(value) : undefined;
  if (cached && cached.ignore === key) return cached.bag;
  const bag = new Map<string, number>();
  if (isRecord(value)) {
    for (const [k, x] of Object.entries(value)) if (!ignore.includes(k) && x !== undefined) leaves(x, k, bag);
    bagCache.set(value, { ignore: key, bag });
  } else leaves(value, '', bag);
  return bag;
}

/**
 * How alike two values are, 0..1: shared leaves over all leaves (as
 * multisets), top-level keys in `ignore` left out. An operation with one step
 * edited stays close to 1; a fresh item is near 0.
 */
export function similarity(a: Json, b: Json, ignore: readonly string[] = []): number {
  const left = bagOf(a, ignore);
  const right = bagOf(b, ignore);
  let shared = 0;
  let total = 0;
  for (const [leaf, n] of left) {
    const m = right.get(leaf) ?? 0;
    shared += Math.min(n, m);
    total += Math.max(n, m);
  }
  for (const [leaf, m] of right) if (!left.has(leaf)) total += m;
  return total === 0 ? 1 : shared / total;
}
