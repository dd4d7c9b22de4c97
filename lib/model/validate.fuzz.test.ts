/**
 * Malformed model documents, fuzzed: `analyzeModel` never throws, never hits
 * its internal-error fallback (LS999), and every issue has a message and a
 * path that exists in the document (or ends in the key that is missing).
 * Plus a table of specific errors with their exact messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, parsePath, type ModelIssue } from './issues';
import { analyzeModel, analyzeModelJson } from './validate';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const EXAMPLES: Array<{ file: string; doc: unknown }> = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, doc: JSON.parse(readFileSync(examplesDir + file, 'utf8')) }));
const SHARE = EXAMPLES.find((e) => e.file === 'share-delete-vs-snapshot.json')!.doc as Record<string, any>;

type Seg = string | number;
type Json = unknown;

/** Whether `path` names something in `doc`, or a key missing at the end of an existing path. */
function pathFits(doc: Json, path: string): boolean {
  if (path === '') return true;
  const segs = parsePath(path);
  let current: any = doc;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (current === null || typeof current !== 'object') return false;
    const present = Array.isArray(current)
      ? typeof seg === 'number' && seg < current.length
      : typeof seg === 'string' && Object.prototype.hasOwnProperty.call(current, seg);
    if (!present) return i === segs.length - 1;
    current = current[seg];
  }
  return true;
}

function expectWellFormed(doc: Json): ModelIssue[] {
  let result: ReturnType<typeof analyzeModel>;
  expect(() => (result = analyzeModel(doc))).not.toThrow();
  if (result!.ok) return [];
  const issues = result!.issues;
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(issue.code, issue.message).not.toBe('LS999');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.trim().length, JSON.stringify(issue)).toBeGreaterThan(0);
    expect(pathFits(doc, issue.path), `path '${issue.path}' (${issue.message}) is not in the document`).toBe(true);
  }
  return issues;
}

/** Every (path, value) in a JSON value, containers included. */
function allPaths(value: Json, prefix: Seg[] = [], out: Array<[Seg[], Json]> = []): Array<[Seg[], Json]> {
  out.push([prefix, value]);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  return out;
}

const format = (path: Seg[]): string => formatPath(path);

function getAt(doc: any, path: Seg[]): any {
  return path.reduce((v, k) => v[k], doc);
}

function setAt(doc: any, path: Seg[], value: Json): void {
  getAt(doc, path.slice(0, -1))[path[path.length - 1]] = value;
}

function deleteAt(doc: any, path: Seg[]): void {
  const parent = getAt(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
}

const EXPRESSION_KEYS = new Set(['expr', 'cond', 'value', 'target', 'on']);
const exampleArb = fc.constantFrom(...EXAMPLES);

describe('analyzeModel on malformed documents (fuzz)', () => {
  it('random JSON values never throw and give well-formed issues', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(value);
      }),
      { numRuns: 1500 },
    );
  });

  it('random JSON text never throws (syntax errors are issues)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        let result: ReturnType<typeof analyzeModelJson>;
        expect(() => (result = analyzeModelJson(text))).not.toThrow();
        if (!result!.ok) for (const issue of result!.issues) expect(issue.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('random objects with model-like keys never throw', () => {
    const key = fc.constantFrom('name', 'resources', 'locks', 'operations', 'invariants', 'scenarios', 'states', 'steps', 'kind', 'initial', 'transitions', 'processes', 'instances');
    const shaped = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    fc.assert(
      fc.property(shaped, (value) => {
        expectWellFormed(value);
      }),
      { numRuns: 800 },
    );
  });

  it('deleting any key or array item of an example: no throw, well-formed issues', () => {
    fc.assert(
      fc.property(exampleArb, fc.nat(), ({ doc }, pick) => {
        const paths = allPaths(doc).filter(([p]) => p.length > 0);
        const [path] = paths[pick % paths.length];
        const copy = structuredClone(doc);
        deleteAt(copy, path);
        expectWellFormed(copy);
      }),
      { numRuns: 600 },
    );
  });

  it('replacing any value of an example by a value of another type: no throw, the issue names that place', () => {
    const wrong = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
    fc.assert(
      fc.property(exampleArb, fc.nat(), wrong, ({ doc }, pick, replacement) => {
        const paths = allPaths(doc).filter(([p]) => p.length > 0);
        const [path, original] = paths[pick % paths.length];
        const copy = structuredClone(doc);
        setAt(copy, path, replacement);
        const issues = expectWellFormed(copy);
        const sameKind = typeof replacement === typeof original && Array.isArray(replacement) === Array.isArray(original);
        // A value of another JSON type where a structure was expected is always reported, at or around that place
        // (a few places accept anything: descriptions, layout; those are not schema errors).
        const free = path.includes('layout') || path[path.length - 1] === 'description';
        if (!sameKind && !free && original !== null && typeof original === 'object') {
          expect(issues.length, format(path)).toBeGreaterThan(0);
          const at = format(path);
          expect(issues.some((i) => i.path === at || i.path.startsWith(at) || at.startsWith(i.path)), `${at}: ${JSON.stringify(issues)}`).toBe(true);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('garbage in any expression: no throw; when rejected, the issue is on that operation/invariant/scenario', () => {
    const tokens = fc.constantFrom('share', 'status', '.', 'state', '==', '!=', '"available"', '"x', '(', ')', '[', ']', ',', 'all', 'any', 'count', 'at', 'holds', ':', '&&', '||', '!', '+', '-', '1', 'in', 'n', 'Share', '=', '&', '#', ' ');
    const garbage = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.array(tokens, { minLength: 1, maxLength: 12 }).map((t) => t.join('')));
    fc.assert(
      fc.property(exampleArb, fc.nat(), garbage, ({ doc }, pick, text) => {
        const expressions = allPaths(doc).filter(([p, v]) => typeof v === 'string' && EXPRESSION_KEYS.has(String(p[p.length - 1])) && !p.includes('layout'));
        const [path] = expressions[pick % expressions.length];
        const copy = structuredClone(doc);
        setAt(copy, path, text);
        const issues = expectWellFormed(copy);
        if (issues.length > 0) {
          // The owner of the expression: operations[i], invariants[i] or scenarios[i].
          const owner = format(path.slice(0, 2));
          expect(issues.some((i) => i.path.startsWith(owner)), `${format(path)} = ${JSON.stringify(text)}: ${JSON.stringify(issues)}`).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a misspelt state name inside an expression is reported at that expression, with a suggestion', () => {
    fc.assert(
      fc.property(exampleArb, fc.nat(), fc.nat(), fc.nat(), ({ doc }, pickExpr, pickName, pickChar) => {
        const states = new Set<string>();
        for (const r of (doc as any).resources) for (const s of r.states) states.add(s.name);
        // Quoted state names inside expressions.
        const sites: Array<{ path: Seg[]; text: string; name: string; index: number }> = [];
        for (const [p, v] of allPaths(doc)) {
          if (typeof v !== 'string' || !EXPRESSION_KEYS.has(String(p[p.length - 1]))) continue;
          for (const m of v.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"/g)) if (states.has(m[1]) && m[1].length >= 4) sites.push({ path: p, text: v, name: m[1], index: m.index! });
        }
        fc.pre(sites.length > 0);
        const site = sites[pickExpr % sites.length];
        const at = pickChar % site.name.length;
        const bad = site.name.slice(0, at) + site.name.slice(at + 1);
        fc.pre(!states.has(bad) && !/^[0-9]/.test(bad));
        const copy = structuredClone(doc);
        setAt(copy, site.path, site.text.slice(0, site.index + 1) + bad + site.text.slice(site.index + 1 + site.name.length));
        const issues = expectWellFormed(copy);
        const here = issues.filter((i) => i.path === format(site.path));
        expect(here.length, `${format(site.path)}: ${JSON.stringify(issues)}`).toBeGreaterThan(0);
        // Either the state of some resource, or (where the literal is compared with an enum field) that enum's value.
        expect(here[0].message).toMatch(new RegExp(`unknown (state|value) '${bad}' of [A-Za-z_.]+; did you mean '[A-Za-z_]+'\\?`));
        expect(here[0].column).toBeGreaterThan(0);
      }),
      { numRuns: 600 },
    );
  });
});

describe('specific validation errors (exact messages)', () => {
  const edit = (f: (d: any) => void) => {
    const d = structuredClone(SHARE);
    f(d);
    return d;
  };
  const cases: Array<{ name: string; doc: unknown; path: string; message: string; column?: number }> = [
    {
      name: 'cas to a misspelt state',
      doc: edit((d) => (d.operations[3].steps[0].to = 'deletng')),
      path: 'operations[3].steps[0].to',
      message: "createSnapshot › step 1 (cas) › to: unknown state 'deletng' of Share; did you mean 'deleting'?",
    },
    {
      name: 'cas from a misspelt state',
      doc: edit((d) => (d.operations[3].steps[0].from = ['available', 'avalable'])),
      path: 'operations[3].steps[0].from[1]',
      message: "createSnapshot › step 1 (cas) › from: unknown state 'avalable' of Share; did you mean 'available'?",
    },
    {
      name: 'a require with a misspelt state (step 3)',
      doc: edit((d) => d.operations[2].steps.splice(2, 0, { kind: 'require', cond: 'share.state == "deletng"' })),
      path: 'operations[2].steps[2].cond',
      message: "deleteShare › step 3 (require) › cond col 16: unknown state 'deletng' of Share; did you mean 'deleting'?",
      column: 16,
    },
    {
      name: "'=' instead of '=='",
      doc: edit((d) => d.operations[2].steps.splice(2, 0, { kind: 'require', cond: 'share.state = "deleting"' })),
      path: 'operations[2].steps[2].cond',
      message: "deleteShare › step 3 (require) › cond col 13: unexpected character '=' (use '==' to compare)",
      column: 13,
    },
    {
      name: 'a misspelt state in count() (column 14)',
      doc: edit((d) => d.operations[2].steps.splice(2, 0, { kind: 'require', cond: 'count(Share, "deletng") == 0' })),
      path: 'operations[2].steps[2].cond',
      message: "deleteShare › step 3 (require) › cond col 14: unknown state 'deletng' of Share; did you mean 'deleting'?",
      column: 14,
    },
    {
      name: 'an unknown local',
      doc: edit((d) => (d.operations[0].steps[1].cond = 'stats == "available"')),
      path: 'operations[0].steps[1].cond',
      message: "deleteShareNaive › step 2 (require) › cond col 1: unknown name 'stats'; did you mean 'status'?",
      column: 1,
    },
    {
      name: 'an unknown field',
      doc: edit((d) => (d.operations[3].steps[1].target = 'snap.stat')),
      path: 'operations[3].steps[1].target',
      message: "createSnapshot › step 2 (write) › target col 6: Snapshot has no field 'stat'; did you mean 'state'?",
      column: 6,
    },
    {
      name: 'a misspelt state inside atomic',
      doc: edit((d) => (d.operations[2].steps[0].steps[0].cond = 'share.state in ["available", "eror"]')),
      path: 'operations[2].steps[0].steps[0].cond',
      message: "deleteShare › step 1 (atomic) › step 1 (require) › cond col 30: unknown state 'eror' of Share; did you mean 'error'?",
      column: 30,
    },
    {
      name: 'a misspelt state in an onFail write',
      doc: edit((d) => (d.operations[2].steps[1].onFail[0].value = '"error_deletin"')),
      path: 'operations[2].steps[1].onFail[0].value',
      message: "deleteShare › step 2 (call) › step 1 (write) › value col 1: unknown state 'error_deletin' of Share; did you mean 'error_deleting'?",
      column: 1,
    },
    {
      name: 'a write to a whole instance',
      doc: edit((d) => (d.operations[2].steps[2].target = 'share')),
      path: 'operations[2].steps[2].target',
      message: 'deleteShare › step 3 (write) › target col 1: the target must be a field of an instance, as in share.state',
      column: 1,
    },
    {
      name: 'a non-boolean condition',
      doc: edit((d) => (d.operations[0].steps[1].cond = 'status')),
      path: 'operations[0].steps[1].cond',
      message: 'deleteShareNaive › step 2 (require) › cond col 1: expected bool but this is state of Share',
      column: 1,
    },
    {
      name: 'an unterminated string',
      doc: edit((d) => (d.operations[0].steps[1].cond = 'status == "available')),
      path: 'operations[0].steps[1].cond',
      message: 'deleteShareNaive › step 2 (require) › cond col 11: unterminated string',
      column: 11,
    },
    {
      name: 'an invariant over an unknown type',
      doc: edit((d) => (d.invariants[0].expr = 'all(n: Snapshott, true)')),
      path: 'invariants[0].expr',
      message: "invariant no-snapshot-of-deleted-share › col 8: unknown resource type 'Snapshott'; did you mean 'Snapshot'?",
      column: 8,
    },
    {
      name: 'count() of an unknown state',
      doc: edit((d) => (d.invariants[0].expr = 'count(Share, "deleteed") <= 1')),
      path: 'invariants[0].expr',
      message: "invariant no-snapshot-of-deleted-share › col 14: unknown state 'deleteed' of Share; did you mean 'deleted'?",
      column: 14,
    },
    {
      name: 'at() of an unknown label',
      doc: edit((d) => (d.scenarios[1].invariants[0].expr = 'at(deleteShareNaive, "driver-delet") <= 1')),
      path: 'scenarios[1].invariants[0].expr',
      message: "invariant one-driver-delete › col 22: operation 'deleteShareNaive' has no step labelled 'driver-delet'; did you mean 'driver-delete'?",
      column: 22,
    },
    {
      name: 'an instance in an unknown state',
      doc: edit((d) => (d.scenarios[0].instances[0].state = 'availabel')),
      path: 'scenarios[0].instances[0].state',
      message: "scenario naive-delete-vs-snapshot: unknown state 'availabel' of Share; did you mean 'available'?",
    },
    {
      name: 'an unknown lock',
      doc: edit((d) => d.operations[2].steps.splice(1, 0, { kind: 'acquire', lock: 'L' })),
      path: 'operations[2].steps[1].lock',
      message: "deleteShare › step 2 (acquire): unknown lock 'L'",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const issues = expectWellFormed(c.doc);
      const issue = issues.find((i) => i.path === c.path);
      expect(issue, JSON.stringify(issues)).toBeDefined();
      expect(issue!.message).toBe(c.message);
      if (c.column !== undefined) expect(issue!.column).toBe(c.column);
    });
  }

  it('the unedited examples are valid', () => {
    for (const { file, doc } of EXAMPLES) expect(expectWellFormed(doc), file).toEqual([]);
  });
});

describe('names that are also Object.prototype properties', () => {
  // A parameter or field called 'toString' or 'constructor' used to be "found" on Object.prototype:
  // a missing argument crashed the validator (LS999: word.toLowerCase is not a function).
  for (const n of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']) {
    it(`'${n}' as a state, field, lock, operation, parameter and label name`, () => {
      const scenario = (name: string, args: Record<string, string>, fields?: Record<string, string>) => ({
        name,
        instances: [{ name: 'r1', type: 'R' }, { name: 'r2', type: 'R' }, { name: 's1', type: 'S', ...(fields ? { fields } : {}) }],
        processes: [{ operation: n, args }],
      });
      const doc = (scenarios: unknown[]) => ({
        name: 'proto',
        resources: [
          { name: 'R', states: [{ name: n, kind: 'stable' }, { name: 'b', kind: 'stable' }], initial: n, transitions: [{ from: n, to: 'b' }] },
          { name: 'S', states: [{ name: 'x', kind: 'stable' }], initial: 'x', transitions: [], fields: [{ name: n, type: { kind: 'ref', resource: 'R' } }] },
        ],
        locks: [{ name: n, key: 'R' }],
        operations: [{ name: n, params: [{ name: n, type: 'R' }], steps: [{ kind: 'with', lock: n, on: n, steps: [{ kind: 'write', target: `${n}.state`, value: '"b"', label: n }] }] }],
        invariants: [{ name: n, expr: `at(${n}, "${n}") <= 1` }],
        scenarios,
      });
      // Parsed from JSON text, as documents arrive ('__proto__' is then an ordinary own key).
      const parse = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"__proto_x"', '"__proto__"'));
      const key = n === '__proto__' ? '__proto_x' : n;
      const valid = parse(doc([scenario('ok', { [key]: 'r1' }, { [key]: 'r1' })]));
      const broken = parse(doc([scenario('missing', {}, {})]));
      const issues = expectWellFormed(broken);
      expect(issues.map((i) => i.message)).toContain(`scenario missing: missing argument '${n}' (R) for ${n}`);
      expect(issues.map((i) => i.message)).toContain(`scenario missing: s1.${n} must name a R instance (there are 2 to choose from)`);
      const validIssues = expectWellFormed(valid);
      // zod rebuilds records as plain objects, where a '__proto__' key cannot survive: reported, never a crash.
      if (n !== '__proto__') expect(validIssues).toEqual([]);
    });
  }
});
