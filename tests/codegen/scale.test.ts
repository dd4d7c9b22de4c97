/**
 * Export cost grows linearly with the model (issue 9: a 6,000-state model's
 * export took 26 CPU-seconds and blocked the server). Asserted structurally —
 * how many times generation reads the states, edges and transitions, and how
 * many names the NameTable tests — never by wall-clock time.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeModel, type AnalyzedModel } from '@/lib/model';
import { generate } from '@/lib/codegen';
import { fnv1a64 } from '@/lib/codegen/hash';
import { NameTable } from '@/lib/codegen/escape/identifier';
import { filesOf } from './helpers';

// About 40,000 JSON values: within validation's 50,000-value document limit (lib/model/limits.ts).
const N = 4000;

/** One resource whose N states form a chain, with back edges, shortcuts to the end and named moves. */
function chainDoc(n: number) {
  const state = (i: number) => `state_${i}`;
  const transitions: Array<{ from: string; to: string; name?: string }> = [];
  for (let i = 0; i + 1 < n; i++) {
    transitions.push({ from: state(i), to: state(i + 1), name: `advance ${i}` });
    if (i % 3 === 0 && i > 0) transitions.push({ from: state(i), to: state(i - 1) });
    if (i % 5 === 0) transitions.push({ from: state(i), to: state(n - 1), name: `finish from ${i}` });
  }
  return {
    name: `Chain of ${n}`,
    resources: [
      {
        name: 'Thing',
        states: Array.from({ length: n }, (_, i) => ({ name: state(i), kind: i === n - 1 ? 'terminal' : i % 7 === 3 ? 'error' : i % 2 ? 'transitional' : 'stable' })),
        initial: state(0),
        transitions,
        fields: [],
      },
    ],
    locks: [],
    operations: [],
    scenarios: [],
  };
}

/** Counts every element read of an array (index access, iteration, map/filter/find…). */
function countedArray<T>(items: T[], counter: { reads: number }): T[] {
  return new Proxy(items, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) counter.reads++;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** A Set that counts lookups and iterated elements. */
class CountedSet extends Set<string> {
  constructor(
    items: Iterable<string>,
    private readonly counter: { reads: number },
  ) {
    super(items);
  }
  override has(value: string): boolean {
    this.counter.reads++;
    return super.has(value);
  }
  override *[Symbol.iterator](): SetIterator<string> {
    for (const v of super.values()) {
      this.counter.reads++;
      yield v;
    }
  }
  override values(): SetIterator<string> {
    return this[Symbol.iterator]();
  }
}

/** The model with its states, edges, and document resources and transitions counting their reads. */
function counting(model: AnalyzedModel, counter: { reads: number }): AnalyzedModel {
  const resources = new Map(
    [...model.catalog.resources].map(([name, r]) => [name, { ...r, states: countedArray(r.states, counter), edges: new CountedSet(r.edges, counter) }]),
  );
  const docResources = countedArray(
    model.document.resources.map((d) => ({ ...d, transitions: countedArray(d.transitions, counter) })),
    counter,
  );
  return { ...model, catalog: { ...model.catalog, resources }, document: { ...model.document, resources: docResources } };
}

describe(`export of a ${N}-state model`, () => {
  const analyzed = analyzeModel(chainDoc(N));
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues.slice(0, 3)));
  const model = analyzed.value;
  const doc = model.document.resources[0]!;
  const size = N + doc.transitions.length;

  it('reads states, edges and transitions a bounded number of times each (linear work, not states × states)', () => {
    const counter = { reads: 0 };
    generate(counting(model, counter), { version: 1 });
    // Each of states.ts, machines.ts and diagram.md reads every state and edge a few times; the
    // old per-state scans of all states made this about N² reads (36,000,000 at 6,000 states).
    expect(counter.reads).toBeGreaterThan(size);
    expect(counter.reads).toBeLessThan(40 * size);
  });

  it('generates every state and move: one TRANSITIONS entry and machine state per state, one event per edge', () => {
    const files = filesOf(generate(model, { version: 1 }));
    const states = files['states.ts']!;
    const machines = files['machines.ts']!;
    const diagram = files['diagram.md']!;
    expect(states).toContain(`    state_0: ["state_1", "state_${N - 1}"],`);
    expect(states).toContain('    state_3: ["state_2", "state_4"],');
    expect(states).toContain(`    state_${N - 1}: [],`);
    expect(machines.match(/^ {4}state_\d+: \{$/gm)).toHaveLength(N);
    expect(machines.match(/^ {8}"to\.state_\d+": \{ target: /gm)).toHaveLength(doc.transitions.length);
    expect(machines).toContain('        "to.state_1": { target: "state_1", description: "advance 0" },');
    expect(machines.match(/type: 'final'/g)).toHaveLength(1);
    expect(diagram.match(/^ {2}s_state_\d+ --> s_state_\d+/gm)).toHaveLength(doc.transitions.length);
    expect(diagram).toContain(`  s_state_${N - 1} --> [*]`);
    // Nothing dropped or duplicated: one TRANSITIONS row and one STATE_KINDS entry per state.
    expect(states.match(/^ {4}state_\d+: \[/gm)).toHaveLength(N);
    expect(states.match(/\bstate_\d+: "(?:stable|transitional|terminal|error)"/g)).toHaveLength(N);
    expect(diagram.match(/^ {2}state "state_\d+" as s_state_\d+$/gm)).toHaveLength(N);
  });
});

describe('NameTable', () => {
  it('claims many colliding names with work linear in their number', () => {
    let tests = 0;
    class Counting extends NameTable {
      override free(name: string): boolean {
        tests++;
        return super.free(name);
      }
    }
    const names = new Counting(['x']);
    const claimed = Array.from({ length: 3000 }, () => names.claim('x'));
    expect(claimed.slice(0, 3)).toEqual(['x2', 'x3', 'x4']);
    expect(new Set(claimed).size).toBe(3000);
    // The old search rescanned x2, x3… for every claim: about 4.5 million tests.
    expect(tests).toBeLessThan(4 * 3000);
  });

  it('still skips a name whose companion is taken, and reuses no name', () => {
    const names = new NameTable(['a2Plan']);
    const plan = (n: string) => [`${n}Plan`];
    expect([names.claim('a', plan), names.claim('a', plan), names.claim('a', plan), names.claim('a')]).toEqual(['a', 'a3', 'a4', 'a2']);
  });
});

describe('fnv1a64', () => {
  const MASK = 0xffffffffffffffffn;
  const reference = (text: string) => {
    let h = 0xcbf29ce484222325n;
    for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK;
    return h.toString(16).padStart(16, '0');
  };
  it('equals the BigInt definition of FNV-1a 64 on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => fnv1a64(text) === reference(text)), { numRuns: 2000 });
  });
});
