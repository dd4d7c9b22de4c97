/**
 * No false verdicts from int ranges. The checker keeps states in Int32Arrays;
 * validation accepts only int ranges, literals and local reads that fit 32 bits.
 * On random models whose int field sits anywhere in that range — the extremes
 * ±2^31 included — the optimized explorer agrees with the naive explorer
 * (verdict, kind, distinct states) and both agree with the reference
 * interpreter, which keeps values as plain numbers and never wraps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel, validateModel } from '../model/validate';
import type { ModelDocument } from '../model/schema';
import { checkScenario } from './check';
import { naiveCheck } from './testing/naive-explorer';
import { referenceCheck } from './testing/reference-interpreter';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const MAX_STATES = 5_000;

/** An int as expression text: literals go up to 2^31 − 1, so −2^31 is written −2147483647 − 1. */
const lit = (n: number) => (n >= 0 ? String(n) : n === INT32_MIN ? '(0 - 2147483647 - 1)' : `(0 - ${-n})`);
const clamp = (n: number) => Math.min(INT32_MAX, Math.max(INT32_MIN, n));

interface Shape {
  min: number;
  max: number;
  initial: number;
}

const extremeMin = fc.constantFrom(INT32_MIN, INT32_MIN + 1, INT32_MAX - 255, INT32_MAX - 3, INT32_MAX, -1, 0);
const range: fc.Arbitrary<Shape> = fc
  .tuple(fc.oneof(extremeMin, fc.integer({ min: INT32_MIN, max: INT32_MAX })), fc.integer({ min: 0, max: 255 }), fc.nat())
  .map(([min, span, pick]) => {
    const max = Math.min(INT32_MAX, min + span);
    return { min, max, initial: min + (pick % (max - min + 1)) };
  });

/** Constants near the interesting places: the bounds, one past them, the initial value, the int32 extremes. */
const constant = (shape: Shape) =>
  fc.oneof(
    fc.constantFrom(shape.min, shape.max, shape.initial, clamp(shape.min - 1), clamp(shape.max + 1), INT32_MIN, INT32_MAX, 5),
    fc.integer({ min: shape.min, max: shape.max }),
  );
const delta = fc.oneof(fc.constantFrom(-256, -1, 1, 256), fc.integer({ min: -300, max: 300 }));
const plus = (expr: string, d: number) => (d >= 0 ? `${expr} + ${d}` : `${expr} - ${-d}`);

function steps(shape: Shape): fc.Arbitrary<unknown[]> {
  const inRange = fc.integer({ min: shape.min, max: shape.max });
  const step = fc.oneof(
    delta.map((d) => ({ kind: 'write', target: 'x.f', value: plus('x.f', d) })),
    fc.tuple(constant(shape), delta, inRange).map(([c, d, v]) => ({
      kind: 'if',
      cond: `x.f < ${lit(c)}`,
      then: [{ kind: 'write', target: 'x.f', value: plus('x.f', d) }],
      else: [{ kind: 'write', target: 'x.f', value: lit(v) }],
    })),
    delta.map((d) => ({ kind: 'atomic', steps: [{ kind: 'read', local: 'v', expr: 'x.f' }, { kind: 'write', target: 'x.f', value: plus('v', d) }] })),
    // A read of an int expression: refused by validation when its value could leave 32 bits.
    delta.map((d) => ({ kind: 'atomic', steps: [{ kind: 'read', local: 'w', expr: plus('x.f', d) }, { kind: 'write', target: 'x.f', value: 'w' }] })),
    fc.tuple(inRange, inRange, fc.constantFrom('skip', 'abort')).map(([from, to, otherwise]) => ({ kind: 'cas', target: 'x.f', from: [from], to, else: otherwise })),
  );
  return fc.array(step, { minLength: 1, maxLength: 3 });
}

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
const model: fc.Arbitrary<{ doc: ModelDocument; shape: Shape; invariant: { op: (typeof OPS)[number]; c: number } }> = range.chain((shape) =>
  fc.record({ steps: steps(shape), op: fc.constantFrom(...OPS), c: constant(shape), count: fc.integer({ min: 1, max: 2 }) }).map(({ steps, op, c, count }) => ({
    shape,
    invariant: { op, c },
    doc: {
      name: 'int ranges',
      resources: [
        {
          name: 'R',
          states: [{ name: 'idle', kind: 'stable' }],
          initial: 'idle',
          transitions: [],
          fields: [{ name: 'f', type: { kind: 'int', min: shape.min, max: shape.max }, initial: shape.initial }],
        },
      ],
      locks: [],
      operations: [{ name: 'bump', params: [{ name: 'x', type: 'R' }], steps }],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r', type: 'R' }],
          processes: [{ operation: 'bump', args: { x: 'r' }, count }],
          invariants: [{ name: 'bound', expr: `r.f ${op} ${lit(c)}` }],
        },
      ],
    } as ModelDocument,
  })),
);

const holds = (a: number, op: (typeof OPS)[number], b: number) =>
  op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : op === '>=' ? a >= b : op === '==' ? a === b : a !== b;

describe('int ranges up to the 32-bit extremes: explorer = naive explorer = reference interpreter', () => {
  it('same verdict, kind and state count; an invariant broken at the start is found at depth 0', () => {
    fc.assert(
      fc.property(model, ({ doc, shape, invariant }) => {
        const analyzed = analyzeModel(doc);
        const mayOverflow = JSON.stringify(doc).match(/"expr":"x\.f [+-] \d+"/g)?.some((read) => {
          const d = Number(read.slice(12, -1).replace(' ', '').replace('+', ''));
          return shape.max + d > INT32_MAX || shape.min + d < INT32_MIN;
        });
        if (!analyzed.ok) {
          // The only acceptable refusal: a read that could leave 32 bits, named as such.
          expect(mayOverflow, JSON.stringify(analyzed.issues)).toBe(true);
          for (const issue of analyzed.issues) expect(issue.message).toMatch(/the value may reach -?\d+, outside the supported range/);
          return;
        }
        expect(mayOverflow ?? false).toBe(false);
        const naive = naiveCheck(analyzed.value, 's', { maxStates: MAX_STATES });
        const result = checkScenario(analyzed.value, 's', { symmetry: false, mergeLocalSteps: false, maxStates: MAX_STATES });
        const reference = referenceCheck(analyzed.value, 's', MAX_STATES);
        const why = `range ${shape.min}..${shape.max} from ${shape.initial}, invariant f ${invariant.op} ${invariant.c}: naive ${naive.verdict}/${naive.kind}/${naive.distinctStates}; explore ${result.verdict}/${result.violation?.kind ?? null}/${result.stats.distinctStates}; reference ${reference.verdict}/${reference.kind}`;
        expect(result.verdict, why).toBe(naive.verdict);
        expect(result.violation?.kind ?? null, why).toBe(naive.kind);
        expect(result.stats.distinctStates, why).toBe(naive.distinctStates);
        expect(naive.verdict, why).toBe(reference.verdict);
        expect(naive.kind, why).toBe(reference.kind);
        if (!holds(shape.initial, invariant.op, invariant.c)) {
          expect(naive.verdict, why).toBe('violation');
          expect(naive.kind, why).toBe('invariant');
          expect(naive.depth, why).toBe(0);
        }
      }),
      { numRuns: 300 * RUNS },
    );
  });

  it('a range reaching past 32 bits is refused at the bound, never checked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 31, max: 2 ** 53 - 1 }), fc.boolean(), (beyond, low) => {
        const [min, max] = low ? [-beyond - 1, -beyond + 9] : [beyond - 10, beyond];
        const doc = {
          name: 'wide',
          resources: [{ name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [], fields: [{ name: 'f', type: { kind: 'int', min, max } }] }],
        };
        const result = validateModel(doc);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const bound = low ? 'min' : 'max';
        expect(result.issues).toContainEqual({
          path: `resources[0].fields[0].type.${bound}`,
          message: `${bound} ${low ? min : max} is outside the supported range -2147483648…2147483647`,
          code: 'LS101',
        });
      }),
      { numRuns: 100 * RUNS },
    );
  });

  it('the reported case: f near 2^31 − 1 with invariant f < 5 is a violation from the start', () => {
    const doc = {
      name: 'big',
      resources: [{ name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [], fields: [{ name: 'f', type: { kind: 'int', min: INT32_MAX - 5, max: INT32_MAX }, initial: INT32_MAX }] }],
      operations: [{ name: 'noop', params: [], steps: [] }],
      scenarios: [{ name: 's', instances: [{ name: 'r', type: 'R' }], processes: [{ operation: 'noop', args: {} }], invariants: [{ name: 'small', expr: 'r.f < 5' }] }],
    };
    const analyzed = analyzeModel(doc);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    const result = checkScenario(analyzed.value, 's');
    expect(result.verdict).toBe('violation');
    expect(result.violation?.kind).toBe('invariant');
  });
});
