/**
 * npm run bench:validate — the worst documents of about 1 MB we could build,
 * each validated (JSON text → issues) in a child process of its own with a
 * time limit, so one pathological case cannot hide the others.
 *
 *   npm run bench:validate                      every document, 60 s limit each
 *   npm run bench:validate -- --only deep-steps one document
 *   npm run bench:validate -- --timeout 20
 *   LOCKSTEP_VALIDATE_MODULE=/tmp/validate-before/lib/model/validate.ts npm run bench:validate
 *                                               the same documents against another copy of the validator
 *
 * Prints, per document: its size, CPU ms (user + system of the child, JSON
 * parse included), peak RSS, the number of issues and the first issue.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const TARGET = 1_000_000;

type Doc = Record<string, unknown>;
/** A document given as JSON text (for shapes JSON.stringify cannot write). */
class Text {
  constructor(readonly text: string) {}
}

/** Repeats `make(i)` until the JSON of the result would pass ~TARGET bytes. */
function fill<T>(make: (i: number) => T, budget = TARGET): T[] {
  const probe = JSON.stringify(make(0)).length + 1;
  return Array.from({ length: Math.max(1, Math.floor(budget / probe)) }, (_, i) => make(i));
}

const state = (name: string, kind = 'stable') => ({ name, kind });
const baseResource = (extra: Doc = {}) => ({ name: 'R', states: [state('a'), state('b')], initial: 'a', transitions: [], ...extra });
const scenario = (extra: Doc = {}) => ({
  name: 's',
  instances: [{ name: 'r', type: 'R' }],
  processes: [{ operation: 'op', args: { x: 'r' } }],
  ...extra,
});
const model = (extra: Doc) => ({ name: 'bench', resources: [baseResource()], ...extra });
const op = (steps: unknown[], params = [{ name: 'x', type: 'R' }]) => ({ name: 'op', params, steps });

const nestedParens = (n: number) => `${'('.repeat(n)}x.state == "a"${')'.repeat(n)}`;
const nestedAny = (n: number) => `${'any(v: R, '.repeat(n)}v.state == "a"${')'.repeat(n)}`;
const andChain = (n: number) => Array.from({ length: n }, () => 'x.state == "a"').join(' && ');

/** Each builder returns a document of about 1 MB designed to make one part of validation slow. */
const DOCUMENTS: Record<string, () => unknown> = {
  // The "did you mean" suggestion: thousands of short unknown names against thousands of states.
  'unknown-states': () => {
    const states = fill((i) => state(`s${i}`), TARGET / 2);
    const transitions = fill((i) => ({ from: `q${i}`, to: `w${i}` }), TARGET / 2);
    return model({ resources: [{ name: 'R', states, initial: 's0', transitions }] });
  },
  // Unknown names in expressions, with a large scope (many parameters) to suggest from.
  'unknown-expr-names': () => {
    const params = fill((i) => ({ name: `p${i}`, type: 'R' }), TARGET / 2);
    const steps = fill((i) => ({ kind: 'await', cond: `z${i}` }), TARGET / 2);
    return model({ operations: [op(steps, params)] });
  },
  // Long unknown names against long candidates (edit distance is length × length).
  'long-names': () => {
    const long = (prefix: string, i: number) => `${prefix}${i}_${'n'.repeat(5_000)}`;
    const states = fill((i) => state(long('s', i)), TARGET / 2);
    const transitions = fill((i) => ({ from: long('q', i), to: 's0' }), TARGET / 2);
    return model({ resources: [{ name: 'R', states, initial: states[0].name, transitions }] });
  },
  // Unknown field names of instances: each suggestion scans the resource's fields.
  'unknown-instance-fields': () => {
    const fields = fill((i) => ({ name: `f${i}`, type: { kind: 'bool' } }), TARGET / 2);
    const given = Object.fromEntries(fill((i) => [`g${i}`, true] as const, TARGET / 2));
    return model({
      resources: [baseResource({ fields })],
      operations: [op([])],
      scenarios: [scenario({ instances: [{ name: 'r', type: 'R', fields: given }] })],
    });
  },
  // Many valid states and transitions (the happy path must be linear too).
  'many-states-transitions': () => {
    const states = fill((i) => state(`s${i}`), TARGET / 2);
    const transitions = fill((i) => ({ from: `s${i % states.length}`, to: `s${(i + 1) % states.length}` }), TARGET / 2);
    return model({ resources: [{ name: 'R', states, initial: 's0', transitions }] });
  },
  // Many structural (zod) issues: every state has a bad kind.
  'many-schema-issues': () => model({ resources: [{ name: 'R', states: fill((i) => state(`s${i}`, 'nope')), initial: 's0', transitions: [] }] }),
  // Many semantic issues: every state name is a duplicate.
  'many-duplicates': () => model({ resources: [{ name: 'R', states: fill(() => state('a')), initial: 'a', transitions: [] }] }),
  // Processes that each miss every argument of an operation with many parameters.
  'missing-arguments': () => {
    const params = fill((i) => ({ name: `p${i}`, type: 'R' }), TARGET / 2);
    const processes = fill(() => ({ operation: 'op', args: {} }), TARGET / 2);
    return model({ operations: [op([], params)], scenarios: [scenario({ processes })] });
  },
  // Many operations and many processes naming them (a linear search per process is quadratic).
  'many-operations-processes': () => {
    const operations = fill((i) => ({ name: `o${i}`, params: [], steps: [] }), TARGET / 2);
    const processes = fill((i) => ({ name: `p${i}`, operation: `o${operations.length - 1 - (i % operations.length)}`, args: {} }), TARGET / 2);
    return model({ operations, scenarios: [scenario({ processes })] });
  },
  // Many instances whose type has many reference fields, each resolved by default.
  'ref-fields': () => {
    const fields = fill((i) => ({ name: `f${i}`, type: { kind: 'ref', resource: 'T' } }), TARGET / 2);
    const instances = fill((i) => ({ name: `r${i}`, type: 'R' }), TARGET / 2);
    return {
      name: 'bench',
      resources: [baseResource({ fields }), { name: 'T', states: [state('a')], initial: 'a', transitions: [] }],
      operations: [op([])],
      scenarios: [scenario({ instances: [...instances, { name: 't', type: 'T' }], processes: [{ operation: 'op', args: { x: 'r0' } }] })],
    };
  },
  // Expressions: many with 1,000 nested parentheses.
  'deep-parens': () => model({ operations: [op(fill(() => ({ kind: 'await', cond: nestedParens(1_000) })))] }),
  // One expression of 1 MB: a flat && chain of ~70,000 comparisons.
  'long-and-chain': () => model({ operations: [op([{ kind: 'await', cond: andChain(Math.floor(TARGET / 18)) }])] }),
  // Many expressions of 3,000 nested any(…).
  'deep-any': () => model({ operations: [op(fill(() => ({ kind: 'await', cond: nestedAny(3_000) })))] }),
  // Quantifiers just under any depth limit, many of them (copying scopes per level is quadratic).
  'many-quantifiers-250': () => model({ operations: [op(fill(() => ({ kind: 'await', cond: nestedAny(250) })))] }),
  // One expression of 1 MB: `!!!!…` and `x.state.state…`, deep without parentheses.
  'deep-prefix-postfix': () =>
    model({ operations: [op([{ kind: 'await', cond: `${'!'.repeat(TARGET / 2)}true` }, { kind: 'read', local: 'y', expr: `x${'.state'.repeat(TARGET / 14)}` }])] }),
  // Steps nested 1 MB deep: if { if { if { … } } } (written as text: JSON.stringify itself overflows the stack on it).
  'deep-steps': () => {
    const open = '[{"kind":"if","cond":"true","then":';
    const n = Math.floor(TARGET / (open.length + 2));
    return new Text(`{"name":"bench","resources":${JSON.stringify([baseResource()])},"operations":[{"name":"op","params":[],"steps":${open.repeat(n)}[]${'}]'.repeat(n)}}]}`);
  },
  // Steps nested 60 deep, repeated: long paths in every issue.
  'long-paths': () => {
    const nest = (depth: number): unknown => (depth === 0 ? { kind: 'await', cond: 'nope' } : { kind: 'if', cond: 'true', then: [nest(depth - 1)] });
    return model({ operations: [op(fill(() => nest(60)))] });
  },
  // A 400 KB list of 200,000 zeros: the schema (zod) alone made 200,000 issues (1.3 CPU-s) before the cap.
  'huge-flat-array': () => ({ resources: Array(200_000).fill(0) }),
  // Just under the size limits, the most schema issues per value: 5 × 4,900 empty cas steps (4 issues each).
  'bad-steps-under-limits': () => model({ operations: Array.from({ length: 5 }, (_, i) => ({ name: `o${i}`, params: [], steps: Array(4_900).fill({ kind: 'cas' }) })) }),
  // Just under the weight limit: bad steps 10 blocks deep (zod copies each issue's path at every level).
  'bad-steps-nested-under-limits': () => {
    const nest = (depth: number, leaf: unknown[]): unknown[] => (depth === 0 ? leaf : [{ kind: 'if', cond: 'true', then: nest(depth - 1, leaf) }]);
    return model({ operations: [op(nest(10, Array(1_500).fill({ kind: 'cas' })))] });
  },
  // Deep plain JSON where the schema passes values through (layout).
  'deep-layout': () => {
    const n = Math.floor(TARGET / 7);
    return new Text(`{"name":"bench","resources":${JSON.stringify([baseResource()])},"layout":{"extra":${'{"a":'.repeat(n)}0${'}'.repeat(n)}}}`);
  },
};

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const modulePath = resolve(process.env.LOCKSTEP_VALIDATE_MODULE ?? 'lib/model/validate.ts');

async function runOne(name: string): Promise<void> {
  const built = DOCUMENTS[name]();
  const text = built instanceof Text ? built.text : JSON.stringify(built);
  const { parseModelJson } = (await import(pathToFileURL(modulePath).href)) as typeof import('../lib/model/validate');
  const before = process.cpuUsage();
  let summary: { issues: number; first: string };
  try {
    const result = parseModelJson(text);
    summary = result.ok ? { issues: 0, first: 'valid' } : { issues: result.issues.length, first: `${result.issues[0].path}: ${result.issues[0].message}` };
  } catch (error) {
    summary = { issues: -1, first: `THREW ${(error as Error).message}` };
  }
  const cpu = process.cpuUsage(before);
  const out = { bytes: text.length, cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...summary };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function main(): void {
  const only = flag('--only');
  const timeoutS = Number(flag('--timeout') ?? 60);
  const names = only ? [only] : Object.keys(DOCUMENTS);
  console.log(`validate bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, validator ${modulePath}`);
  console.log(['document', 'bytes', 'cpu ms', 'peak RSS MB', 'issues', 'first issue'].join('\t'));
  for (const name of names) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--one', name], {
      encoding: 'utf8',
      timeout: timeoutS * 1000,
      env: process.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.error || child.status !== 0 || !line.startsWith('{')) {
      const why = child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `> ${timeoutS} s (killed)` : `crashed: ${(child.stderr || '').trim().split('\n').slice(-1)[0]}`;
      console.log([name, '', '', '', '', why].join('\t'));
      continue;
    }
    const r = JSON.parse(line) as { bytes: number; cpuMs: number; rssMb: number; issues: number; first: string };
    console.log([name, r.bytes, r.cpuMs, r.rssMb, r.issues, r.first.slice(0, 110)].join('\t'));
  }
}

if (args[0] === '--one') await runOne(args[1]);
else main();
