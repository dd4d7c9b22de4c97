/**
 * The key order documents are served in (lib/db/canonical-order.ts): it
 * depends only on the set of keys, so SQLite (insertion order) and
 * PostgreSQL's jsonb (shortest key first) serve the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalOrder } from '@/lib/db/canonical-order';

/** The order jsonb returns keys in: shorter first, then by bytes. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: Record<string, unknown> = {};
  for (const k of keys) Object.defineProperty(out, k, { value: jsonbOrder((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('canonical key order', () => {
  it('serves the same bytes whatever order the database kept the keys in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const canonical = JSON.stringify(canonicalOrder(v));
        expect(JSON.stringify(canonicalOrder(jsonbOrder(v)))).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(v))); // same content (JSON has no -0)
      }),
      { numRuns: 300 },
    );
  });

  it('puts a model document in a readable order and keeps hostile keys as plain data', () => {
    const doc = JSON.parse('{"layout":{"b":1,"a":2},"resources":[{"states":[{"kind":"stable","name":"s"}],"name":"R"}],"name":"m","__proto__":{"x":1}}');
    const out = canonicalOrder(doc);
    expect(JSON.stringify(out)).toBe('{"name":"m","resources":[{"name":"R","states":[{"name":"s","kind":"stable"}]}],"layout":{"a":2,"b":1},"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => canonicalOrder(deep)).not.toThrow();
  });
});
