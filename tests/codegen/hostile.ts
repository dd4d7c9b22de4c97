/**
 * Hostile models for the codegen fuzz tests: names and free text built from
 * payloads that would break out of every context generated code puts them in
 * (strings, comments, template literals, object keys, identifiers, Markdown,
 * HTML comments, Mermaid), every model valid for lib/model.
 *
 * A payload that escapes its context runs `globalThis.__pwned = 1`, logs
 * PWNED or opens a dialog: the tests look for exactly those.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeModel, type AnalyzedModel } from '@/lib/model';
import { ROOT } from './helpers';

/** Free text (model name, transition names, labels, messages, call names): anything. */
export const TEXT_PAYLOADS = [
  'x --> <img src=x onerror=alert(1)> <!-- y',
  '--!><img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<img src=x onerror="console.log(\'PWNED\')">',
  '<svg onload=alert(1)>',
  '*/ globalThis.__pwned = 1; /*',
  '"; globalThis.__pwned = 1; "',
  "'; globalThis.__pwned = 1; '",
  '\\"; globalThis.__pwned = 1; //',
  '${globalThis.__pwned = 1}',
  '`; globalThis.__pwned = 1; `',
  '\u2028globalThis.__pwned = 1; //',
  '\u2029globalThis.__pwned = 1; //',
  '\rglobalThis.__pwned = 1; //',
  '\nglobalThis.__pwned = 1; //',
  '\n```\n<img src=x onerror=alert(1)>\n```\n',
  '%%{init: {"securityLevel": "loose", "startOnLoad": true}}%%',
  'a --> b : c ; click s_a call alert(1)',
  '#lt;img src=x onerror=alert(1)#gt;',
  '&lt;img src=x onerror=alert(1)&gt;',
  '[click](javascript:alert(1))',
  '![x](x" onerror="alert(1))',
  '<!--',
  '-->',
  '__proto__',
  'constructor',
  'toString',
  '🔒💥 emoji ✓',
  '\\',
  '"',
  '\u0000\u0007\u001b[31m',
  'a'.repeat(180),
];

/** Names of locks, operations and scenarios (the validator's NAME: letters, digits, _ and -). */
export const NAME_PAYLOADS = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'delete', 'class', 'await', 'eval', 'arguments', 'lock', 'run', 'a-b', 'aB', 'a_b', 'x--y', 'LOCKS', 'using', 'with-locks', 'LockProvider', 'runPlan', 'memory-store', '_', 'A'.repeat(120)];

/** Resource, field, parameter and local names (the validator's IDENTIFIER). */
export const IDENTIFIER_PAYLOADS = ['__proto__', 'constructor', 'toString', 'prototype', 'valueOf', 'class', 'await', 'default', 'enum', 'eval', 'Resource', 'StateOf', 'StateKind', 'setup', 'a_b', 'aB', 'AB', 'id', 'status', 'share_id', 'shareId', 'memoryStore', 'MACHINES', 'x'];

/** State names: identifiers except `__proto__`, which generation refuses (XState drops it). */
const STATE_PAYLOADS = IDENTIFIER_PAYLOADS.filter((n) => n !== '__proto__');

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TEXT_PAYLOADS) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...TEXT_PAYLOADS), { minLength: 2, maxLength: 3 }).map((a) => a.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }) },
);
const modelName = text.map((t) => t.slice(0, 200)).filter((t) => t.length > 0);
const nameArb = fc.oneof(fc.constantFrom(...NAME_PAYLOADS), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/));
const identArb = (pool: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/) });

/** Distinct values; `count` of them. */
const distinct = (arb: fc.Arbitrary<string>, count: number) => fc.uniqueArray(arb, { minLength: count, maxLength: count });

/**
 * A model from scratch with hostile identifiers and names in every slot codegen
 * reads: two resources (one referencing the other), an int and an enum field, a
 * fencing lock and a global one, an operation with a cas, a fenced write, an
 * atomic step and a call, a scenario — plus hostile free text everywhere.
 */
export const syntheticDoc = fc
  .record({
    name: modelName,
    resources: distinct(identArb(IDENTIFIER_PAYLOADS), 2),
    states: distinct(identArb(STATE_PAYLOADS), 3),
    fields: distinct(identArb(IDENTIFIER_PAYLOADS), 3),
    values: distinct(identArb(STATE_PAYLOADS), 2),
    locks: distinct(nameArb, 2),
    operation: nameArb,
    param: identArb(IDENTIFIER_PAYLOADS),
    local: identArb(IDENTIFIER_PAYLOADS),
    scenario: nameArb,
    texts: fc.array(text, { minLength: 9, maxLength: 9 }),
  })
  .map(({ name, resources: [R1, R2], states: [S1, S2, S3], fields: [F1, F2, F3], values: [E1, E2], locks: [L1, L2], operation, param, local, scenario, texts }) => {
    const t = (i: number) => texts[i]!;
    return {
      name,
      description: t(0),
      resources: [
        {
          name: R1,
          description: t(1),
          states: [
            { name: S1, kind: 'stable', description: t(2) },
            { name: S2, kind: 'transitional' },
            { name: S3, kind: 'terminal' },
          ],
          initial: S1,
          transitions: [
            { from: S1, to: S2, name: t(3) },
            { from: S2, to: S3, name: t(4) },
          ],
          fields: [
            { name: F1, type: { kind: 'int', min: 0, max: 3 }, initial: 0 },
            { name: F2, type: { kind: 'enum', values: [E1, E2] }, initial: E1 },
          ],
        },
        {
          name: R2,
          states: [{ name: S1, kind: 'stable' }],
          initial: S1,
          transitions: [],
          fields: [{ name: F3, type: { kind: 'ref', resource: R1 } }],
        },
      ],
      locks: [
        { name: L1, key: R1, backend: 'etcd', fencing: true, leaseCanExpire: true, description: t(5) },
        { name: L2, scope: 'process' },
      ],
      operations: [
        {
          name: operation,
          params: [{ name: param, type: R1 }],
          steps: [
            { kind: 'cas', label: `${t(6)} 1`, target: `${param}.state`, from: [S1], to: S2, else: 'abort', message: t(7) },
            { kind: 'read', local, expr: `${param}.${F1}` },
            {
              kind: 'with',
              lock: L1,
              on: param,
              steps: [{ kind: 'write', label: `${t(8)} 2`, target: `${param}.${F1}`, value: '1', fencedBy: { lock: L1, on: param } }],
            },
            {
              kind: 'atomic',
              label: `${t(6)} 3`,
              steps: [
                { kind: 'require', cond: `${param}.state == "${S2}" && ${param}.${F2} == "${E1}"`, message: t(8) },
                { kind: 'write', target: `${param}.state`, value: `"${S3}"` },
              ],
            },
            { kind: 'acquire', lock: L2, label: `${t(7)} 4` },
            { kind: 'call', name: t(5) },
            { kind: 'release', lock: L2 },
          ],
        },
      ],
      scenarios: [
        {
          name: scenario,
          description: t(0),
          instances: [{ name: 'i1', type: R1 }],
          processes: [{ operation, args: { [param]: 'i1' } }],
          locks: { [L1]: { scope: 'cluster' } },
        },
      ],
    };
  });

/** Every shipped example with hostile free text in the slots that do not change its meaning. */
export function examplesDocs(): unknown[] {
  const dir = path.join(ROOT, 'examples');
  return ['crash-in-transitional-state.json', 'image-cache-ageing-vs-spawn.json', 'lease-and-fencing.json', 'lock-scope.json', 'share-delete-vs-snapshot.json'].map(
    (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown,
  );
}

type Json = Record<string, unknown>;

/** Rewrites the free text of a document with `next()`: the name, descriptions, transition names, step messages and call names. */
export function withHostileText(doc: unknown, next: () => string): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  copy.name = next().slice(0, 200) || 'x';
  const visitSteps = (steps: unknown): void => {
    if (!Array.isArray(steps)) return;
    for (const s of steps as Json[]) {
      if (typeof s.message === 'string') s.message = next();
      if (s.kind === 'call') s.name = next();
      for (const k of ['then', 'else', 'steps', 'onFail']) visitSteps(s[k]);
    }
  };
  for (const r of (copy.resources as Json[]) ?? []) {
    r.description = next();
    for (const t of (r.transitions as Json[]) ?? []) t.name = next();
  }
  for (const op of (copy.operations as Json[]) ?? []) visitSteps(op.steps);
  return copy;
}

export const exampleDoc = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.array(text, { minLength: 40, maxLength: 40 })).map(([i, texts]) => {
  let k = 0;
  return withHostileText(examplesDocs()[i], () => texts[k++ % texts.length]!);
});

export interface HostileModel {
  model: AnalyzedModel;
  /** Built by syntheticDoc: its operation's guards can be run end to end. */
  synthetic: boolean;
}

/** Valid models only: the fuzz is about what a model the validator accepts can do to generated files. */
export function validModels(count: number, seed: number): HostileModel[] {
  const arb = fc.oneof(
    { weight: 3, arbitrary: syntheticDoc.map((doc) => ({ doc: doc as unknown, synthetic: true })) },
    { weight: 1, arbitrary: exampleDoc.map((doc) => ({ doc, synthetic: false })) },
  );
  const out: HostileModel[] = [];
  for (const { doc, synthetic } of fc.sample(arb, { numRuns: count * 4, seed })) {
    const a = analyzeModel(doc);
    if (a.ok) out.push({ model: a.value, synthetic });
    if (out.length === count) break;
  }
  return out;
}
