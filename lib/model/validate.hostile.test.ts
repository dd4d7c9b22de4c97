/**
 * Hostile documents: validation does bounded work (counted, not timed), refuses
 * nesting it cannot handle with an issue naming the place and the limit, caps
 * the issues it lists, and refuses ints the checker cannot store exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel, analyzeModelJson, parseModelJson, validateModel } from './validate';
import { checkScenario } from '../check';
import { parseExpr } from './expr/parse';
import type { Expr } from './expr/ast';
import { SUGGEST_LIMITS, suggestionComparisons } from './expr/suggest';
import { MAX_DOCUMENT_VALUES, MAX_DOCUMENT_WEIGHT, MAX_EXPRESSION_DEPTH, MAX_ISSUES_LISTED, MAX_LIST_ITEMS, MAX_STEP_DEPTH } from './limits';
import type { ModelIssue } from './issues';

const resource = (extra: Record<string, unknown> = {}) => ({
  name: 'R',
  states: [
    { name: 'idle', kind: 'stable' },
    { name: 'busy', kind: 'transitional' },
  ],
  initial: 'idle',
  transitions: [{ from: 'idle', to: 'busy' }],
  ...extra,
});
const model = (extra: Record<string, unknown>) => ({ name: 'hostile', resources: [resource()], ...extra });
const withCond = (cond: string) => model({ operations: [{ name: 'op', params: [{ name: 'x', type: 'R' }], steps: [{ kind: 'await', cond }] }] });

function issuesOf(input: unknown): ModelIssue[] {
  const result = validateModel(input);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
}

describe('"did you mean" does bounded work', () => {
  it('5,000 unknown state names against 5,000 states: at most perDocument × candidates comparisons', () => {
    const states = Array.from({ length: 5_000 }, (_, i) => ({ name: `s${i}`, kind: 'stable' }));
    const transitions = Array.from({ length: 5_000 }, (_, i) => ({ from: `q${i}`, to: 's0' }));
    const before = suggestionComparisons();
    const issues = issuesOf(model({ resources: [{ name: 'R', states, initial: 's0', transitions }] }));
    const comparisons = suggestionComparisons() - before;
    // Unbounded, this is 5,000 × 5,000 = 25 million comparisons.
    expect(comparisons).toBeGreaterThan(0);
    expect(comparisons).toBeLessThanOrEqual(SUGGEST_LIMITS.perDocument * SUGGEST_LIMITS.candidates);
    expect(issues[0]).toMatchObject({ path: 'resources[0].transitions[0].from', message: "unknown state 'q0' of R; did you mean 's0'?" });
    // Past the per-document budget the message is the plain one.
    expect(issues[SUGGEST_LIMITS.perDocument + 10].message).toBe(`unknown state 'q${SUGGEST_LIMITS.perDocument + 10}' of R`);
  });

  it('unknown names inside expressions against a scope of 5,000 parameters', () => {
    const params = Array.from({ length: 5_000 }, (_, i) => ({ name: `p${i}`, type: 'R' }));
    const steps = Array.from({ length: 5_000 }, (_, i) => ({ kind: 'await', cond: `z${i}` }));
    const before = suggestionComparisons();
    const issues = issuesOf(model({ operations: [{ name: 'op', params, steps }] }));
    expect(suggestionComparisons() - before).toBeLessThanOrEqual(SUGGEST_LIMITS.perDocument * SUGGEST_LIMITS.candidates);
    expect(issues[0].message).toContain("unknown name 'z0'; did you mean 'p0'?");
  });

  it('names longer than the limit are not compared at all', () => {
    const long = 'q'.repeat(SUGGEST_LIMITS.nameLength + 1);
    const before = suggestionComparisons();
    const issues = issuesOf(model({ resources: [resource({ initial: long })] }));
    expect(suggestionComparisons() - before).toBe(0);
    expect(issues).toEqual([{ path: 'resources[0].initial', message: `unknown state '${long}' of R`, code: 'LS202' }]);
  });
});

describe('issues are capped', () => {
  it(`lists ${MAX_ISSUES_LISTED} issues, then "…and N more" with the exact count`, () => {
    const transitions = Array.from({ length: 2_000 }, () => ({ from: 'nope', to: 'idle' }));
    const issues = issuesOf(model({ resources: [resource({ transitions })] }));
    expect(issues).toHaveLength(MAX_ISSUES_LISTED + 1);
    expect(issues.at(-1)).toEqual({ path: '', message: `…and ${2_000 - MAX_ISSUES_LISTED} more issues`, code: 'LS199' });
  });

  it('schema issues are capped the same way', () => {
    const states = Array.from({ length: 1_000 }, (_, i) => ({ name: `s${i}`, kind: 'bogus' }));
    const issues = issuesOf(model({ resources: [resource({ states })] }));
    expect(issues).toHaveLength(MAX_ISSUES_LISTED + 1);
    expect(issues[0].path).toBe('resources[0].states[0].kind');
    expect(issues.at(-1)?.message).toBe(`…and ${1_000 - MAX_ISSUES_LISTED} more issues`);
  });

  it('processes missing every argument of a wide operation: validation stops early and says so', () => {
    const params = Array.from({ length: 2_000 }, (_, i) => ({ name: `p${i}`, type: 'R' }));
    const processes = Array.from({ length: 2_000 }, () => ({ operation: 'op', args: {} }));
    const scenario = { name: 's', instances: [{ name: 'r', type: 'R' }], processes };
    const issues = issuesOf(model({ operations: [{ name: 'op', params, steps: [] }], scenarios: [scenario] }));
    expect(issues).toHaveLength(MAX_ISSUES_LISTED + 1);
    expect(issues[0]).toMatchObject({ path: 'scenarios[0].processes[0].args', message: "scenario s: missing argument 'p0' (R) for op" });
    expect(issues.at(-1)?.message).toMatch(/^…and at least \d+ more issues \(validation stopped after \d+\)$/);
  });
});

describe('expressions nested too deeply are a normal issue naming the place and the limit', () => {
  const tooDeep = `expression nests deeper than ${MAX_EXPRESSION_DEPTH}`;
  const cases: Array<[string, string]> = [
    ['1,000 nested parentheses', `${'('.repeat(1_000)}x.state == "idle"${')'.repeat(1_000)}`],
    ['3,000 nested any', `${'any(v: R, '.repeat(3_000)}v.state == "idle"${')'.repeat(3_000)}`],
    ['5,000 prefix !', `${'!'.repeat(5_000)}true`],
    ['a 5,000-term + chain', `${Array.from({ length: 5_000 }, () => '1').join(' + ')} > 0`],
    ['5,000 field accesses', `x${'.state'.repeat(5_000)} == "idle"`],
  ];
  it.each(cases)('%s in a step', (_, cond) => {
    const issues = issuesOf(withCond(cond));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('operations[0].steps[0].cond');
    expect(issues[0].message).toContain(tooDeep);
    expect(issues[0].message).not.toMatch(/call stack/i);
  });

  it('3,000 nested any in an invariant', () => {
    const expr = `${'any(v: R, '.repeat(3_000)}v.state == "idle"${')'.repeat(3_000)}`;
    const issues = issuesOf(model({ invariants: [{ name: 'deep', expr }] }));
    expect(issues).toEqual([expect.objectContaining({ path: 'invariants[0].expr', message: expect.stringContaining(tooDeep) })]);
  });

  it(`${MAX_EXPRESSION_DEPTH - 10} nested any is still fine`, () => {
    const n = MAX_EXPRESSION_DEPTH - 10;
    expect(validateModel(withCond(`${'any(v: R, '.repeat(n)}v.state == "idle"${')'.repeat(n)}`)).ok).toBe(true);
  });

  it('a flat 5,000-term && chain is fine: built balanced, operands kept in order', () => {
    const terms = Array.from({ length: 5_000 }, (_, i) => (i % 2 ? 'x.state == "idle"' : 'x.state != "busy"'));
    expect(validateModel(withCond(terms.join(' && '))).ok).toBe(true);
    const tree = parseExpr(Array.from({ length: 5_000 }, (_, i) => `a${i}`).join(' || '));
    const leaves: string[] = [];
    const depth = (e: Expr): number => {
      if (e.kind === 'binary') return 1 + Math.max(depth(e.left), depth(e.right));
      if (e.kind === 'name') leaves.push(e.name);
      return 1;
    };
    expect(depth(tree)).toBeLessThanOrEqual(14);
    expect(leaves).toEqual(Array.from({ length: 5_000 }, (_, i) => `a${i}`));
  });
});

describe('step nesting is limited before the schema recurses', () => {
  const nest = (depth: number): unknown => (depth === 1 ? { kind: 'return' } : { kind: 'if', cond: 'true', then: [nest(depth - 1)] });
  const withSteps = (step: unknown) => model({ operations: [{ name: 'op', params: [], steps: [step] }] });

  it(`${MAX_STEP_DEPTH} levels are fine`, () => {
    expect(validateModel(withSteps(nest(MAX_STEP_DEPTH))).ok).toBe(true);
  });

  it(`${MAX_STEP_DEPTH + 1} levels: an issue at the first block too deep`, () => {
    const issues = issuesOf(withSteps(nest(MAX_STEP_DEPTH + 1)));
    expect(issues).toEqual([
      {
        path: `operations[0].steps[0]${'.then[0]'.repeat(MAX_STEP_DEPTH - 1)}.then`,
        message: `steps nest deeper than ${MAX_STEP_DEPTH} blocks (if, atomic, with, else, onFail)`,
        code: 'LS103',
      },
    ]);
  });

  it('30,000 nested atomic blocks sent as JSON text: an issue, not a crash', () => {
    const n = 30_000;
    const steps = `${'[{"kind":"atomic","steps":'.repeat(n)}[]${'}]'.repeat(n)}`;
    const text = `{"name":"deep","resources":${JSON.stringify([resource()])},"operations":[{"name":"op","params":[],"steps":${steps}}]}`;
    const result = parseModelJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].code).toBe('LS103');
    expect(result.issues[0].path.startsWith('operations[0].steps[0].steps[0].steps')).toBe(true);
  });

  it('deep JSON where the schema passes values through (layout) is refused too', () => {
    const n = 50_000;
    const text = `{"name":"deep","resources":${JSON.stringify([resource()])},"layout":{"x":${'{"a":'.repeat(n)}0${'}'.repeat(n)}}}`;
    const result = parseModelJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code: 'LS102', message: 'the document nests deeper than 200 levels here' });
    expect(result.issues[0].path.startsWith('layout.x.a.a')).toBe(true);
  });
});

describe('ints are limited to what the checker stores exactly (32 bits)', () => {
  const intField = (min: number, max: number, initial?: number) =>
    model({ resources: [resource({ fields: [{ name: 'f', type: { kind: 'int', min, max }, ...(initial === undefined ? {} : { initial }) }] })] });

  it('a range beyond 32 bits names the bound and the supported range', () => {
    expect(issuesOf(intField(2 ** 32, 2 ** 32 + 5))).toEqual([
      { path: 'resources[0].fields[0].type.min', message: 'min 4294967296 is outside the supported range -2147483648…2147483647', code: 'LS101' },
      { path: 'resources[0].fields[0].type.max', message: 'max 4294967301 is outside the supported range -2147483648…2147483647', code: 'LS101' },
    ]);
    expect(issuesOf(intField(-(2 ** 31) - 1, -(2 ** 31) + 3))[0]).toMatchObject({ path: 'resources[0].fields[0].type.min' });
  });

  it('the extremes themselves are accepted', () => {
    expect(validateModel(intField(2 ** 31 - 256, 2 ** 31 - 1, 2 ** 31 - 1)).ok).toBe(true);
    expect(validateModel(intField(-(2 ** 31), -(2 ** 31) + 255, -(2 ** 31))).ok).toBe(true);
  });

  it('an integer literal beyond 32 bits in an expression', () => {
    const issues = issuesOf(withCond('x.state == "idle" && 4294967296 > 0'));
    expect(issues[0].path).toBe('operations[0].steps[0].cond');
    expect(issues[0].message).toContain('the number 4294967296 is outside the supported range -2147483648…2147483647');
  });

  it('a read whose value may leave 32 bits is refused; one that fits is accepted', () => {
    const big = 2 ** 31 - 1;
    const doc = (expr: string) => ({
      ...intField(big - 10, big),
      operations: [{ name: 'op', params: [{ name: 'x', type: 'R' }], steps: [{ kind: 'read', local: 'v', expr }] }],
    });
    const issues = issuesOf(doc('x.f + x.f'));
    expect(issues).toEqual([
      { path: 'operations[0].steps[0].expr', message: `op › step 1 (read) › expr: the value may reach ${2 * big}, outside the supported range -2147483648…2147483647`, code: 'LS216' },
    ]);
    expect(issuesOf(doc('0 - x.f - x.f'))[0].message).toContain(`may reach ${-2 * big}`);
    expect(analyzeModel(doc('x.f - 2147483647')).ok).toBe(true);
  });
});

describe('names that are also Object.prototype properties, used as lookup keys', () => {
  const protoNames = ['hasOwnProperty', 'valueOf', 'toString', 'constructor', '__proto__'];

  it.each(protoNames)("a parameter whose type is '%s' (not a resource): a clear issue, never a JavaScript error", (n) => {
    const doc = JSON.parse(JSON.stringify(model({ operations: [{ name: 'op', params: [{ name: 'p', type: n }], steps: [{ kind: 'read', local: 'v', expr: 'p.state' }] }] })));
    const issues = issuesOf(doc);
    expect(issues).toEqual([
      { path: 'operations[0].params[0].type', message: `unknown resource type '${n}'`, code: 'LS207' },
      { path: 'operations[0].steps[0].expr', message: `op › step 1 (read) › expr col 1: 'p' has an unknown resource type '${n}'`, code: 'LS301', column: 1 },
    ]);
  });

  it.each(protoNames)("an instance whose type is '%s', named in a scenario invariant", (n) => {
    const scenario = { name: 's', instances: [{ name: 'r', type: n }], processes: [{ operation: 'op', args: {} }], invariants: [{ name: 'i', expr: 'r.state == "idle"' }] };
    const issues = issuesOf(JSON.parse(JSON.stringify(model({ operations: [{ name: 'op', params: [], steps: [] }], scenarios: [scenario] }))));
    expect(issues.map((i) => i.message)).toEqual([`scenario s: unknown resource type '${n}'`, `invariant i › col 1: 'r' has an unknown resource type '${n}'`]);
  });

  it("a scenario argument keyed '__proto__' is refused by name, not reported missing", () => {
    const doc = JSON.parse(
      JSON.stringify(
        model({
          operations: [{ name: 'op', params: [{ name: 'P', type: 'R' }], steps: [] }],
          scenarios: [{ name: 's', instances: [{ name: 'r', type: 'R' }], processes: [{ operation: 'op', args: { P: 'r' } }] }],
        }),
      ).replaceAll('"P"', '"__proto__"'),
    );
    expect(Object.hasOwn(doc.scenarios[0].processes[0].args, '__proto__')).toBe(true);
    expect(issuesOf(doc)).toEqual([
      {
        path: 'scenarios[0].processes[0].args.__proto__',
        message: "'__proto__' cannot be used as a key (JavaScript objects drop it); rename the parameter, field, lock or resource it names",
        code: 'LS105',
      },
    ]);
  });

  // Every kind of name in the shipped examples renamed to one of these: resource, state, field, parameter,
  // local, lock (with a scenario override keyed by it), operation. The checker must give the same verdicts.
  // (Only words that are not also keys of the checker's output, such as 'status', are renamed.)
  const renames: Array<[string, string]> = [
    ['share-lock', 'constructor'],
    ['deleteShareLocked', '__proto__'],
    ['deleteShareNaive', '__proto__'],
    ['Share', 'valueOf'],
    ['share', 'hasOwnProperty'],
    ['snap', 'toString'],
    ['hasSnapshots', 'isPrototypeOf'],
    ['available', '__proto__'],
  ];
  const rename = (text: string, pairs: Array<[string, string]>) => pairs.reduce((t, [from, to]) => t.replace(new RegExp(`\\b${from}\\b`, 'g'), to), text);
  const project = (r: ReturnType<typeof checkScenario>) => ({ verdict: r.verdict, violation: r.violation, meets: r.meetsExpectation, states: r.stats.distinctStates, transitions: r.stats.transitions, trace: r.trace });

  it.each(['share-delete-vs-snapshot.json', 'lock-scope.json'])('%s with hostile names checks the same as with ordinary ones', (file) => {
    const text = readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8');
    const hostileText = rename(text, renames);
    expect(hostileText).not.toBe(text);
    const ordinary = analyzeModelJson(text);
    const hostile = analyzeModelJson(hostileText);
    if (!ordinary.ok || !hostile.ok) throw new Error(JSON.stringify(hostile.ok ? ordinary : hostile));
    for (const scenario of ordinary.value.scenarios) {
      const name = scenario.source.name;
      const a = project(checkScenario(ordinary.value, name));
      const b = project(checkScenario(hostile.value, rename(name, renames)));
      expect(b.meets).toBe(true);
      // The hostile run is the ordinary one with the names changed: verdict, counts and every state of the trace.
      expect(JSON.stringify(b)).toBe(rename(JSON.stringify(a), renames));
    }
  });

  it("a field called '__proto__' shows in the trace's state like any other field", () => {
    const doc = (f: string) =>
      JSON.parse(
        JSON.stringify(
          model({
            resources: [resource({ fields: [{ name: 'fieldF', type: { kind: 'int', min: 0, max: 3 }, initial: 0 }] })],
            operations: [{ name: 'op', params: [{ name: 'x', type: 'R' }], steps: [{ kind: 'write', target: 'x.fieldF', value: '2' }] }],
            invariants: [{ name: 'small', expr: 'all(r: R, r.fieldF < 2)' }],
            scenarios: [{ name: 's', instances: [{ name: 'r', type: 'R' }], processes: [{ operation: 'op', args: { x: 'r' } }] }],
          }),
        ).replaceAll('fieldF', f),
      );
    const run = (f: string) => {
      const analyzed = analyzeModel(doc(f));
      if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
      return checkScenario(analyzed.value, 's');
    };
    const proto = run('__proto__');
    expect(proto.violation).toMatchObject({ kind: 'invariant', name: 'small' });
    const last = proto.trace!.steps.at(-1)!.state.instances[0].fields;
    expect(Object.hasOwn(last, '__proto__')).toBe(true);
    expect(JSON.stringify(project(proto))).toBe(JSON.stringify(project(run('plain'))).replaceAll('plain', '__proto__'));
  });
});

describe('the size of a document is bounded before the schema runs', () => {
  it(`a list of 200,000 items is refused at once, naming the list and the limit (${MAX_LIST_ITEMS})`, () => {
    const issues = issuesOf({ resources: Array(200_000).fill(0) });
    // One issue, not the schema's 200,000: the schema never saw the document.
    expect(issues).toEqual([{ path: 'resources', message: `a list of 200000 items; at most ${MAX_LIST_ITEMS} are allowed`, code: 'LS104' }]);
  });

  it('an object with too many keys (say, scenario arguments)', () => {
    const args = Object.fromEntries(Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => [`a${i}`, 0]));
    const scenario = { name: 's', instances: [{ name: 'r', type: 'R' }], processes: [{ operation: 'op', args }] };
    expect(issuesOf(model({ scenarios: [scenario] }))).toEqual([
      { path: 'scenarios[0].processes[0].args', message: `an object with more than ${MAX_LIST_ITEMS} keys`, code: 'LS104' },
    ]);
  });

  it(`many lists each under the limit: more than ${MAX_DOCUMENT_VALUES} values in all are refused`, () => {
    const resources = Array.from({ length: 20 }, () => resource({ states: Array(MAX_LIST_ITEMS).fill(0) }));
    const issues = issuesOf(model({ resources }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'LS104', message: expect.stringContaining(`more than ${MAX_DOCUMENT_VALUES} values`) });
    expect(issues[0].path).toMatch(/^resources\[\d+\]\.states$/);
  });

  it(`bad values deep in nested steps weigh more (limit ${MAX_DOCUMENT_WEIGHT}): refused before the schema copies each issue's path at every level`, () => {
    const nest = (depth: number, leaf: unknown[]): unknown[] => (depth === 0 ? leaf : [{ kind: 'if', cond: 'true', then: nest(depth - 1, leaf) }]);
    // 5 × 9,000 bad steps 60 blocks deep (~100 KB): the schema alone took 3 s and 1.3 GB per 10,000 of them.
    const operations = Array.from({ length: 5 }, (_, i) => ({ name: `o${i}`, params: [], steps: nest(60, Array(9_000).fill(0)) }));
    const issues = issuesOf(model({ operations }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'LS104', message: expect.stringContaining('too many values this deeply nested') });
    expect(issues[0].path).toMatch(/^operations\[\d\]\.steps\[0\](\.then\[0\])*\.then$/);
  });

  it('a document just under every limit is still validated in full', () => {
    const states = Array.from({ length: MAX_LIST_ITEMS }, (_, i) => ({ name: `s${i}`, kind: 'stable' }));
    expect(validateModel(model({ resources: [{ name: 'R', states, initial: 's0', transitions: [] }] })).ok).toBe(true);
  });
});
