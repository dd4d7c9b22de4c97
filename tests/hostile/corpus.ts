/**
 * The hostile corpus: bad requests for every endpoint that takes input.
 * Generated ones (fast-check, fixed seed: the same corpus on every run) mutate
 * a valid document, run or share request with hostile values, names and
 * shapes; handcrafted ones are the attacks of issue 9, each as reproduced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { analyze, openSession, replayMoves } from '@/lib/check/replay';
import type { Send } from './client';

export interface Case extends Send {
  name: string;
  /** Statuses that are right for this case (any < 500 when absent). */
  statuses?: number[];
  /** For a 400: an issue must name this path (exactly, or a path under it). */
  issuePath?: string;
  /** Extra check of the reply; returns what is wrong, or null. */
  verify?: (reply: { status: number; body: any; text: string }) => string | null;
}

export interface Targets {
  /** A model whose version 1 is the share example: runs and shares point at it. */
  modelId: string;
  /** A model the save cases write to (valid saves are 201 once, then 409). */
  scratchId: string;
}

export const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
export const NAIVE = 'naive-delete-vs-snapshot';
const SEED = 20261127;

// ── hostile values ──────────────────────────────────────────────────────────
const hostileNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then', 'length', 'Object', 'undefined', 'NaN'];
const XSS = 'x --> <img src=x onerror=alert(1)> <!-- y';
const hostileStrings = [
  '', ' ', '\t\n', 'NaN', 'Infinity', '-Infinity', '-0', '1e309', '0x10', 'null', 'true', ...hostileNames, XSS,
  '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '${process.exit(1)}', '`; process.exit(1); `', '*/ process.exit(1); /*', '"); process.exit(1); ("',
  '</script><script>alert(1)</script>', '\u2028\u2029', '👩‍👩‍👧‍👦', 'שלום', '\u202e', '\ufeff', 'e\u0301', '..\\..\\etc\\passwd', '../../etc/passwd', 'x'.repeat(300), 'é'.repeat(5000),
];
const hostileNumbers = [0, -0, -1, 1.5, 0.1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21, -1e-7];
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...hostileStrings) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...hostileNumbers) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[[]]]], { __proto__: null }, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('q', 'available', 'Share', 0), { maxLength: 200 }) },
);
const hostileKey = fc.oneof(fc.constantFrom(...hostileNames, 'admin', 'id', 'workspaceId', 'authorId', '\u0000', '\ud800', ''), fc.string({ maxLength: 12 }));

// ── mutations of a valid value ──────────────────────────────────────────────
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path inside a JSON value (objects and arrays included). */
function allPaths(value: unknown): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((c, i) => stack.push([c, [...p, i]]));
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) stack.push([c, [...p, k]]);
  }
  return out;
}

type Mutation = { op: 'replace' | 'delete' | 'add-key'; at: number; value: unknown; key: string };
const mutations = (count: number) => fc.array(fc.record({ op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'delete', 'add-key'), at: fc.nat(), value: hostileValue, key: hostileKey }), { minLength: 1, maxLength: count });

function mutate<T>(base: T, ms: Mutation[]): T {
  const copy = structuredClone(base) as Json;
  let root: Json = copy;
  for (const m of ms) {
    const paths = allPaths(root);
    const p = paths[m.at % paths.length];
    if (p.length === 0) {
      if (m.op === 'replace') root = m.value as Json;
      continue;
    }
    let parent: any = root;
    for (const k of p.slice(0, -1)) parent = parent[k];
    const last = p[p.length - 1];
    if (m.op === 'replace') parent[last] = m.value;
    else if (m.op === 'delete') Array.isArray(parent) ? parent.splice(last as number, 1) : delete parent[last];
    else {
      const target = parent[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else if (Array.isArray(target)) target.push(m.value as Json);
    }
  }
  return root as T;
}

/** Renames an identifier everywhere (declarations, references, expressions), keeping the document consistent. */
function renameEverywhere(doc: unknown, from: string, to: string): unknown {
  return JSON.parse(JSON.stringify(doc).replace(new RegExp(`\\b${from}\\b`, 'g'), to));
}

const sample = <T>(arb: fc.Arbitrary<T>, n: number, offset: number): T[] => fc.sample(arb, { numRuns: n, seed: SEED + offset });

// ── a valid run of the example, computed by the checker as the browser would ──
export function validRun(moves: number[]) {
  return {
    scenario: NAIVE,
    mode: 'exhaustive',
    options: { symmetry: true, mergeLocalSteps: true },
    verdict: 'violation',
    violation: { kind: 'invariant', message: 'a snapshot of a deleted share', name: 'no-snapshot-of-deleted-share' },
    stats: { distinctStates: 10, transitions: 12, depth: moves.length, queue: 0, elapsedMs: 3, statesPerSecond: 1000 },
    moves,
  };
}

/** Cases generated from the seed: at least `total` of them, spread over the endpoints. */
export function generatedCases(t: Targets, naiveMoves: number[], total = 2000): Case[] {
  const cases: Case[] = [];
  const share = Math.ceil(total / 10);
  const docs = (n: number, offset: number) => sample(mutations(4), n, offset).map((ms) => mutate(example, ms));

  // Documents: create, import and save (3 × 3 shares).
  docs(share * 3, 1).forEach((doc, i) => cases.push({ name: `create: mutated document #${i}`, path: '/api/models', body: JSON.stringify({ document: doc }) }));
  docs(share * 3, 2).forEach((doc, i) => cases.push({ name: `import: mutated document #${i}`, path: '/api/models/import', body: JSON.stringify(doc) }));
  // Version 1 is stale after the first save: each later save merges three-way with the head. 200 = the merge
  // adds nothing to the head (no empty version); 409 = conflicts listed; 422 = merged but invalid.
  docs(share * 2, 3).forEach((doc, i) =>
    cases.push({ name: `save: mutated document #${i}`, path: `/api/models/${t.scratchId}/versions`, body: JSON.stringify({ baseVersion: 1, document: doc, message: 'corpus' }), statuses: [200, 201, 400, 409, 422] }),
  );
  // Random JSON of any shape as a document, and request bodies of the wrong shape.
  sample(fc.jsonValue({ maxDepth: 6 }), share / 2, 4).forEach((v, i) => cases.push({ name: `import: random JSON #${i}`, path: '/api/models/import', body: JSON.stringify(v), statuses: [400] }));
  sample(mutations(3), share / 2, 5).forEach((ms, i) =>
    cases.push({ name: `create: mutated request #${i}`, path: '/api/models', body: JSON.stringify(mutate({ name: 'corpus', description: 'd', author: 'a', message: 'm' }, ms)) }),
  );
  // Hostile names, consistently renamed: resources, states, operations, locks, instances, params.
  sample(fc.tuple(fc.constantFrom('Share', 'Snapshot', 'available', 'deleting', 'share', 'snap', 'share1', 'snap1', 'deleteShareNaive', 'status'), fc.constantFrom(...hostileNames)), share / 2, 6).forEach(([from, to], i) =>
    cases.push({ name: `import: ${from} renamed ${to} #${i}`, path: '/api/models/import', body: JSON.stringify(renameEverywhere(example, from, to)) }),
  );
  // Runs on version 1 of the example and share requests.
  const run = validRun(naiveMoves);
  sample(mutations(3), share, 7).forEach((ms, i) =>
    cases.push({ name: `runs: mutated run #${i}`, path: `/api/models/${t.modelId}/versions/1/runs`, body: JSON.stringify(mutate(run, ms)), statuses: [201, 400, 404, 413, 422] }),
  );
  sample(mutations(3), share / 2, 8).forEach((ms, i) =>
    cases.push({ name: `share: mutated request #${i}`, path: '/api/share', body: JSON.stringify(mutate({ modelId: t.modelId, versionNumber: 1, scenario: NAIVE, step: 2 }, ms)), statuses: [201, 400, 404] }),
  );
  // Truncated bodies: cut anywhere.
  const full = JSON.stringify(example);
  sample(fc.integer({ min: 1, max: full.length - 1 }), share / 2, 9).forEach((cut, i) =>
    cases.push({ name: `import: truncated at ${cut} #${i}`, path: '/api/models/import', body: full.slice(0, cut), statuses: [400], issuePath: '' }),
  );
  return cases;
}

// ── the attacks of issue 9, as reproduced ───────────────────────────────────
/** A document of `transitions` transitions between names that do not exist (the "did you mean" bomb). */
export function unknownNamesDocument(transitions: number) {
  const states = Array.from({ length: 200 }, (_, i) => ({ name: `state_${i}`, kind: 'stable' }));
  return {
    name: 'unknown names',
    resources: [
      {
        name: 'Share',
        states,
        initial: 'state_0',
        transitions: Array.from({ length: transitions }, (_, i) => ({ from: `stat_${i}`, to: `sta_${i % 997}x` })),
      },
    ],
    invariants: Array.from({ length: Math.ceil(transitions / 20) }, (_, i) => ({ name: `inv-${i}`, expr: `all(s: Share, s.state != "stat_${i}" && s.sise == ${i})` })),
  };
}

const withInvariant = (expr: string) => ({ ...example, name: 'deep expression', invariants: [...example.invariants, { name: 'deep', expr }] });
const DEEP = `invariants[${example.invariants.length}].expr`;
const noStackMessage = (r: { text: string }) => (/maximum call stack/i.test(r.text) ? 'the message is "Maximum call stack size exceeded"' : null);

/** A model whose one scenario runs `processes` independent processes of `steps` writes each: the replay bomb. */
export function replayBombModel(processes: number, steps: number) {
  return {
    name: 'replay bomb',
    resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [], fields: [{ name: 'n', type: { kind: 'int', min: 0, max: 255 }, initial: 0 }] }],
    operations: [{ name: 'touch', params: [{ name: 'share', type: 'Share' }], steps: Array.from({ length: steps }, (_, i) => ({ kind: 'write', target: 'share.n', value: String(i % 200), label: `w${i}` })) }],
    scenarios: [
      {
        name: 'bomb',
        instances: Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, type: 'Share' })),
        processes: Array.from({ length: processes }, (_, i) => ({ name: `p${i}`, operation: 'touch', args: { share: `s${i % 50}` } })),
      },
    ],
  };
}

/** The longest valid trace of the bomb: every process runs to its end, one after another (checked here with the checker's own replay). */
export function replayBombMoves(processes: number, steps: number): number[] {
  const one = analyze(replayBombModel(1, steps));
  if (!one.ok) throw new Error(`the replay bomb model is invalid: ${JSON.stringify(one.issues.slice(0, 3))}`);
  const session = openSession(one.model, 'bomb', { symmetry: false, mergeLocalSteps: false });
  let perProcess = 0;
  for (let k = 1; k <= steps + 4; k++) if (replayMoves(session, Array(k).fill(0)).rejectedAt === null) perProcess = k;
  const moves: number[] = [];
  for (let p = 0; p < processes; p++) for (let k = 0; k < perProcess; k++) moves.push(p << 12);
  return moves.slice(0, 100_000);
}

export function attackCases(t: Targets & { bombModelId: string | null; bombMoves: number[] }): Case[] {
  const big = unknownNamesDocument(12_000); // ~500 KB
  const small = unknownNamesDocument(3_000); // ~130 KB
  const cases: Case[] = [];
  for (const [label, doc] of [['500 KB', big], ['130 KB', small]] as const) {
    const bytes = JSON.stringify(doc).length;
    cases.push({ name: `validation CPU: ${label} (${bytes} B) of unknown names, import`, path: '/api/models/import', body: JSON.stringify(doc), statuses: [400], issuePath: 'resources[0].transitions' });
    cases.push({ name: `validation CPU: ${label} of unknown names, create`, path: '/api/models', body: JSON.stringify({ document: doc }), statuses: [400], issuePath: 'document.resources[0].transitions' });
    cases.push({ name: `validation CPU: ${label} of unknown names, save`, path: `/api/models/${t.scratchId}/versions`, body: JSON.stringify({ baseVersion: 1, document: doc }), statuses: [400], issuePath: 'document.resources[0].transitions' });
  }
  if (t.bombModelId) {
    const run = { ...validRun(t.bombMoves), scenario: 'bomb', options: { symmetry: false, mergeLocalSteps: false }, violation: { kind: 'deadlock', message: 'stuck' } };
    cases.push({ name: `check-run replay: ${t.bombMoves.length} valid moves (${JSON.stringify(run).length} B)`, path: `/api/models/${t.bombModelId}/versions/1/runs`, body: JSON.stringify(run), statuses: [400, 413, 422], timeoutMs: 60_000 });
    const capped = { ...run, moves: t.bombMoves.slice(0, 10_000) };
    cases.push({ name: 'check-run replay: 10,000 valid moves, wrong claim', path: `/api/models/${t.bombModelId}/versions/1/runs`, body: JSON.stringify(capped), statuses: [400, 413, 422], timeoutMs: 60_000 });
  }
  for (const [where, body] of [
    ['name', { ...example, name: 'a\u0000b' }],
    ['description', { ...example, description: '\ud800' }],
    ['resources[0].states[1].name', { ...example, resources: [{ ...example.resources[0], states: example.resources[0].states.map((s: any, i: number) => (i === 1 ? { ...s, name: 'x\u0000' } : s)) }, ...example.resources.slice(1)] }],
  ] as const) {
    cases.push({ name: `PostgreSQL text: ${where} holds U+0000 or a lone surrogate, import`, path: '/api/models/import', body: JSON.stringify(body), statuses: [400], issuePath: where });
    cases.push({ name: `PostgreSQL text: ${where}, create`, path: '/api/models', body: JSON.stringify({ document: body }), statuses: [400], issuePath: `document.${where}` });
  }
  cases.push({ name: 'PostgreSQL text: version message with U+0000', path: `/api/models/${t.scratchId}/versions`, body: JSON.stringify({ baseVersion: 1, document: example, message: 'm\u0000' }), statuses: [400], issuePath: 'message' });
  cases.push({ name: 'PostgreSQL text: author as raw \\ud800 escape', path: '/api/models', body: `{"name":"x","author":"\\ud800"}`, statuses: [400], issuePath: 'author' });
  cases.push({ name: 'PostgreSQL text: key with U+0000 in layout', path: '/api/models/import', body: JSON.stringify({ ...example, layout: { 'k\u0000': 1 } }), statuses: [400], issuePath: 'layout' });
  cases.push({ name: 'PostgreSQL text: author query string with %00', path: '/api/models/import?author=a%00', body: JSON.stringify(example), statuses: [400] });

  const intField = (min: number, max: number) => ({
    ...example,
    name: `int ${min}..${max}`,
    resources: [{ ...example.resources[0], fields: [{ name: 'f', type: { kind: 'int', min, max }, initial: min }] }, ...example.resources.slice(1)],
  });
  for (const [min, max] of [[2 ** 40, 2 ** 40 + 5], [2 ** 31 - 2, 2 ** 31 + 1], [-(2 ** 31) - 3, -(2 ** 31) + 3], [2 ** 53 - 10, 2 ** 53 - 1]]) {
    cases.push({
      name: `int field ${min}..${max} (beyond 32 bits)`,
      path: '/api/models/import',
      body: JSON.stringify(intField(min, max)),
      statuses: [201, 400],
      verify: (r) => (r.status === 400 && !r.body.issues.some((i: any) => /^resources\[0\]\.fields\[0\]/.test(i.path)) ? `400 without an issue at resources[0].fields[0]: ${r.text.slice(0, 200)}` : null),
    });
  }
  cases.push({ name: 'deep expression: 1,000 nested parentheses', path: '/api/models/import', body: JSON.stringify(withInvariant(`${'('.repeat(1000)}true${')'.repeat(1000)}`)), statuses: [400], issuePath: DEEP, verify: noStackMessage });
  cases.push({ name: 'deep expression: 5,000-term && chain', path: '/api/models/import', body: JSON.stringify(withInvariant(Array(5000).fill('true').join(' && '))), statuses: [201, 400], verify: noStackMessage });
  let nestedAny = 'true';
  for (let i = 0; i < 3000; i++) nestedAny = `any(x${i}: Share, ${nestedAny})`;
  cases.push({ name: 'deep expression: 3,000 nested any', path: '/api/models/import', body: JSON.stringify(withInvariant(nestedAny)), statuses: [400], issuePath: DEEP, verify: noStackMessage });
  cases.push({ name: 'deep expression: 100,000 unary !', path: '/api/models/import', body: JSON.stringify(withInvariant(`${'!'.repeat(100_000)}true`)), statuses: [400], issuePath: DEEP, verify: noStackMessage });

  // Huge arrays, deep JSON, oversized bodies.
  cases.push({ name: 'huge array: 200,000 resources of 0', path: '/api/models/import', body: JSON.stringify({ name: 'x', resources: Array(200_000).fill(0) }), statuses: [400], issuePath: 'resources' });
  cases.push({ name: 'huge array: 30,000 states', path: '/api/models/import', body: JSON.stringify({ name: 'x', resources: [{ name: 'S', states: Array.from({ length: 30_000 }, (_, i) => ({ name: `s${i}`, kind: 'stable' })), initial: 's0', transitions: [] }] }), statuses: [201, 400] });
  cases.push({ name: 'deep JSON: 100,000 nested arrays', path: '/api/models/import', body: '['.repeat(100_000) + ']'.repeat(100_000), statuses: [400], issuePath: '' });
  cases.push({ name: 'deep JSON: 150 nested objects', path: '/api/models/import', body: '{"a":'.repeat(150) + '1' + '}'.repeat(150), statuses: [400], issuePath: '' });
  cases.push({ name: 'oversized body: 1.5 MB', path: '/api/models/import', body: JSON.stringify({ ...example, description: 'x'.repeat(1_500_000) }), statuses: [413] });
  cases.push({ name: 'huge numbers: 1e309 coordinates', path: '/api/models/import', body: JSON.stringify({ ...example, layout: { resources: { Share: { available: { x: 1, y: 2 } } } } }).replace('"x":1', '"x":1e309'), statuses: [400] });
  cases.push({ name: 'huge numbers: baseVersion 1e309', path: `/api/models/${t.scratchId}/versions`, body: `{"baseVersion":1e309,"document":${JSON.stringify(example)}}`, statuses: [400], issuePath: 'baseVersion' });
  cases.push({ name: '-0 as baseVersion', path: `/api/models/${t.scratchId}/versions`, body: `{"baseVersion":-0,"document":${JSON.stringify(example)}}`, statuses: [400], issuePath: 'baseVersion' });
  cases.push({ name: 'NaN-like string as baseVersion', path: `/api/models/${t.scratchId}/versions`, body: JSON.stringify({ baseVersion: 'NaN', document: example }), statuses: [400], issuePath: 'baseVersion' });
  cases.push({ name: 'duplicate keys', path: '/api/models/import', body: `{"name":"first","name":"second",${JSON.stringify(example).slice(1)}`, statuses: [201] });
  cases.push({ name: 'duplicate keys in a request', path: '/api/models', body: `{"name":"a","name":"b","description":"d","description":"\\u0000"}`, statuses: [400], issuePath: 'description' });
  cases.push({ name: 'UTF-8 BOM before the JSON', path: '/api/models/import', body: `\ufeff${JSON.stringify({ ...example, name: 'bom' })}`, statuses: [201, 400] });
  cases.push({ name: 'BOM inside the JSON', path: '/api/models/import', body: `{\ufeff"name":"x"}`, statuses: [400] });
  cases.push({ name: 'UTF-16 body', path: '/api/models/import', body: new Uint8Array(Buffer.from(`\ufeff${JSON.stringify(example)}`, 'utf16le')), statuses: [400] });
  cases.push({ name: 'invalid UTF-8 (CESU-8 surrogate)', path: '/api/models/import', body: new Uint8Array([...Buffer.from('{"name":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}')]), statuses: [400] });
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null, 'application/json-patch+json', 'text/html']) {
    cases.push({ name: `wrong content type: ${contentType}`, path: '/api/models/import', body: JSON.stringify({ ...example, name: `ct ${contentType}` }), contentType, statuses: [201, 400, 415] });
  }
  cases.push({ name: 'empty body', path: '/api/models/import', body: '', statuses: [400] });
  // Generated files for hostile names.
  cases.push({ name: 'mermaid: model named to close the comment', path: '/api/models/import', body: JSON.stringify({ ...example, name: XSS }), statuses: [201, 400], issuePath: 'name' });
  cases.push({ name: 'locks: a lock named __proto__', path: '/api/models/import', body: JSON.stringify({ ...example, name: 'proto lock', locks: [...(example.locks ?? []), { name: '__proto__', key: 'Share' }] }), statuses: [201, 400], issuePath: `locks[${(example.locks ?? []).length}]` });
  // Oversized runs and shares.
  cases.push({ name: 'oversized run: 100,001 moves', path: `/api/models/${t.modelId}/versions/1/runs`, body: JSON.stringify(validRun(Array(100_001).fill(0))), statuses: [400, 413], issuePath: 'moves' });
  cases.push({ name: 'oversized run: moves beyond 32 bits', path: `/api/models/${t.modelId}/versions/1/runs`, body: JSON.stringify(validRun([2 ** 32, -1, 1.5])), statuses: [400], issuePath: 'moves[0]' });
  cases.push({ name: 'oversized run: 99,999 invalid moves', path: `/api/models/${t.modelId}/versions/1/runs`, body: JSON.stringify(validRun(Array(99_999).fill(2 ** 31 - 1))), statuses: [400, 413, 422] });
  cases.push({ name: 'share: step beyond the trace', path: '/api/share', body: JSON.stringify({ modelId: t.modelId, versionNumber: 1, step: 100_001 }), statuses: [400], issuePath: 'step' });
  cases.push({ name: 'share: model id with NUL', path: '/api/share', body: JSON.stringify({ modelId: 'a\u0000', versionNumber: 1 }), statuses: [400], issuePath: 'modelId' });
  cases.push({ name: 'share: version 2^31', path: '/api/share', body: JSON.stringify({ modelId: t.modelId, versionNumber: 2 ** 31 }), statuses: [400], issuePath: 'versionNumber' });
  // Hostile ids and query strings in URLs.
  for (const id of ['%00', '..%2F..%2Fetc', 'x'.repeat(5000), '%ED%A0%80', '__proto__', 'constructor']) {
    cases.push({ name: `GET model ${id.slice(0, 20)}`, method: 'GET', path: `/api/models/${id}`, statuses: [400, 404] });
    cases.push({ name: `save to model ${id.slice(0, 20)}`, path: `/api/models/${id}/versions`, body: JSON.stringify({ baseVersion: 1, document: example }), statuses: [400, 404] });
    cases.push({ name: `GET share ${id.slice(0, 20)}`, method: 'GET', path: `/api/share/${id}`, statuses: [400, 404] });
  }
  for (const q of ['version=-1', 'version=1e3', 'version=99999999999', 'version=%00', 'version=__proto__']) {
    // U+0000 is refused earlier, by the text rule for every query string (lib/server/text-rule.ts), which names `?version`.
    cases.push({ name: `export ?${q}`, method: 'GET', path: `/api/models/${t.modelId}/export?${q}`, statuses: [400], issuePath: q.includes('%00') ? '?version' : 'version' });
  }
  // Text that is not a version number is a 400 naming the URL segment, on every route (lib/server/version-param.ts).
  cases.push({ name: 'runs on version 0', path: `/api/models/${t.modelId}/versions/0/runs`, body: JSON.stringify(validRun([])), statuses: [400], issuePath: 'number' });
  cases.push({ name: 'runs on version 2^53', path: `/api/models/${t.modelId}/versions/9007199254740993/runs`, body: JSON.stringify(validRun([])), statuses: [400], issuePath: 'number' });
  return cases;
}
