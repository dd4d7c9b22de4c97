/**
 * Generated code for the issue-12 constructs: update guards (typed conditions, strict compile,
 * only the runtime a model uses), token()/fence() in guard plans, guards inside `repeat`, and
 * acquire timeouts in locks.ts. The races on real databases are in update-race.test.ts and
 * locks.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { sqlStore } from '@/lib/codegen/runtime/sql-store';
import { sqliteDriver } from '@/lib/codegen/runtime/sqlite-driver';
import { memoryStore } from '@/lib/codegen/runtime/memory-store';
import type { GuardPlan, Value } from '@/lib/codegen/runtime/guard-plan';
import { analyzeModel } from '@/lib/model';
import type { AnalyzedStep } from '@/lib/model/analyzed';
import type { Typed } from '@/lib/model/expr/types';
import { generate } from '@/lib/codegen';
import { makeContext } from '@/lib/codegen/context';
import { collectGuards } from '@/lib/codegen/guard-info';
import { guardsFileNames } from '@/lib/codegen/guards';
import { example, filesOf, serviceImportingEveryFile, tempProject, tsc, withRuntime } from './helpers';
import { UPDATE_DOCUMENT, updateModel } from './update-model';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const files = filesOf(generate(updateModel(), { version: 1 }));
const guards = files['guards.ts']!;

/** A service that uses the update guards' result types as a caller would. */
const SERVICE = `
import { bumpVersionBump, deleteShareMarkDeleting, type DeleteShareMarkDeletingCondition, type Fields } from './guards.js';
import type { GuardStore } from './lockstep-runtime/guard-plan.js';

export async function deleteOrExplain(store: GuardStore<Fields>, share: string): Promise<string> {
  const r = await deleteShareMarkDeleting(store, { share });
  if (r.changed) return 'deleting';
  const first: DeleteShareMarkDeletingCondition | null = r.failedAs;
  return r.failed.map((f) => \`\${f.condition}: expected \${JSON.stringify(f.expected)}, was \${String(f.actual)}\`).join('; ') + String(first);
}

export async function bumpOnce(store: GuardStore<Fields>, share: string, v: number): Promise<boolean> {
  const r = await bumpVersionBump(store, { share, v });
  if (!r.changed && r.outcome === 'onFail') return r.failedAs === 'version';
  return r.changed;
}
`;

describe('update guards', () => {
  it('compile under strict flags with unused-code checks, typed by their conditions', async () => {
    const project = tempProject('update-compile', { ...files, 'service.ts': SERVICE, 'all.ts': serviceImportingEveryFile(files) }, { noUnusedLocals: true, noUnusedParameters: true });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('a condition the step does not have is a compile error', async () => {
    const project = tempProject('update-bad', {
      ...withRuntime(files, 'guards.ts'),
      'service.ts': `
import { deleteShareMarkDeleting, type Fields } from './guards.js';
import type { GuardStore } from './lockstep-runtime/guard-plan.js';
export async function f(store: GuardStore<Fields>) {
  const r = await deleteShareMarkDeleting(store, { share: 's' });
  return !r.changed && r.failedAs === 'version';
}
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/service\.ts.*TS2367.*DeleteShareMarkDeletingCondition \| null.*"version"/s);
  });

  it('one guard per update step: its conditions as a union, the step outcome, its doc', () => {
    expect(guards).toContain('export type DeleteShareMarkDeletingCondition = "state" | "noSnapshots";');
    expect(guards).toContain('return updateResult<DeleteShareMarkDeletingCondition>(result, "abort");');
    expect(guards).toContain('return updateResult<BumpVersionBumpCondition>(result, "onFail");');
    expect(guards).toContain('return updateResult<PollFinishCondition>(result, "skip");');
    // The comment as one paragraph of prose (line breaks and the ` * ` margins folded).
    const doc = guards.slice(guards.indexOf('deleteShare › mark-deleting'), guards.indexOf('export async function deleteShareMarkDeleting')).replace(/\n \* /g, ' ');
    expect(doc).toContain('Its filters read Snapshot rows');
    expect(doc).toContain('at READ COMMITTED PostgreSQL evaluates a filter on the statement');
    expect(doc).toContain('tests/codegen/update-race.test.ts shows it');
    expect(doc).toContain('every transaction that writes Snapshot rows must run SERIALIZABLE too');
  });

  it('a guard inside repeat says the caller loops; the repeat itself is no guard', () => {
    const doc = guards.slice(guards.indexOf('poll › finish'), guards.indexOf('export async function pollFinish')).replace(/\n \* /g, ' ');
    expect(doc).toContain('It runs inside repeat until share.state == deleted (operations[2].steps[0]): the caller loops');
    expect(guards.match(/^export async function \w+/gm)).toEqual([
      'export async function deleteShareMarkDeleting',
      'export async function bumpVersionBump',
      'export async function pollFinish',
    ]);
  });

  it('the runtime keeps its update code only for a model with an update step', () => {
    expect(files['lockstep-runtime/sql-store.ts']).toContain('async update(op, env)');
    expect(files['lockstep-runtime/guard-plan.ts']).toContain('export function updateResult');
    // An example with cas and atomic guards and no update step.
    const crash = filesOf(generate(example('crash-in-transitional-state.json'), { version: 1 }));
    expect(crash['guards.ts']).toMatch(/export (async )?function/);
    for (const file of ['guard-plan.ts', 'sql-store.ts', 'sql-render.ts', 'prisma-store.ts', 'memory-store.ts']) {
      expect(crash[`lockstep-runtime/${file}`]).not.toMatch(/update\(|UpdateResult|#if|#endif/);
    }
    expect(crash['guards.ts']).not.toContain('updateResult');
  });
});

describe('token() and fence() in a guard', () => {
  const doc = { ...UPDATE_DOCUMENT, locks: [{ name: 'share-lease', key: 'Share', backend: 'etcd' }] };
  const share: Typed = { kind: 'param', type: { kind: 'ref', resource: 'Share' }, name: 'share' };
  const INT = { kind: 'int', min: 0, max: 2 ** 30 } as const;
  const token: Typed = { kind: 'token', type: INT, lock: 'share-lease', on: share };
  const fence: Typed = { kind: 'fence', type: INT, lock: 'share-lease', on: share };
  const modelWith = (cond: Typed) => {
    const analyzed = analyzeModel(doc);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    const model = analyzed.value;
    const step = updateModel().operations.get('deleteShare')!.steps[0] as AnalyzedStep & { kind: 'update' };
    model.operations.get('deleteShare')!.steps = [{ ...step, filters: [{ name: 'fresh', cond }], conditions: ['state', 'fresh'] }];
    for (const name of ['bumpVersion', 'poll']) model.operations.get(name)!.steps = [];
    return model;
  };
  const withFilter = (cond: Typed) => filesOf(generate(modelWith(cond), { version: 1 }));

  it('token(L, r) is the guard argument the caller passes from withLocks; fence(r, L) reads the fence column, 0 when empty', () => {
    const out = withFilter({ kind: 'binary', type: { kind: 'bool' }, op: '>=', left: token, right: fence });
    const g = out['guards.ts']!;
    expect(g).toContain('args: { readonly share: RowId; readonly shareLeaseToken: number }');
    expect(g).toMatch(/left: \{ kind: "arg", name: "shareLeaseToken" \}/);
    expect(g).toMatch(/field: "fence:share-lease",\s+ifNull: 0/);
    // The fence column is part of the default layout, and the runtime keeps its fencing code.
    expect(g).toContain('"fence:share-lease": "share_lease_fence"');
    expect(out['lockstep-runtime/sql-render.ts']).toContain('COALESCE(');
  });

  it('on SQLite and in memory: an empty fence column reads 0; a token below the accepted one fails the filter', async () => {
    const ctx = makeContext(modelWith({ kind: 'binary', type: { kind: 'bool' }, op: '>=', left: token, right: fence }), { version: 1 });
    const [guard] = collectGuards(ctx, guardsFileNames(ctx));
    const plan: GuardPlan = { guard: guard!.name, operation: 'deleteShare', step: 'mark-deleting', resources: ['Share'], ops: guard!.plan.ops };
    const db = new Database(':memory:');
    db.exec("CREATE TABLE share (id TEXT PRIMARY KEY, status TEXT, version INT, size INT, previous TEXT, share_lease_fence INT)");
    db.exec("CREATE TABLE snapshot (id TEXT PRIMARY KEY, status TEXT, share_id TEXT)");
    db.exec("INSERT INTO share VALUES ('s1', 'available', 0, 0, 'available', NULL), ('s2', 'available', 0, 0, 'available', 5)");
    const tables = {
      Share: { table: 'share', id: 'id', columns: { state: 'status', version: 'version', size: 'size', previous: 'previous', 'fence:share-lease': 'share_lease_fence' } },
      Snapshot: { table: 'snapshot', id: 'id', columns: { state: 'status', share: 'share_id' } },
    };
    const sql = sqlStore(sqliteDriver(db), tables);
    const memory = memoryStore({
      Share: new Map<string, Record<string, Value>>([
        ['s1', { state: 'available', previous: 'available' }],
        ['s2', { state: 'available', previous: 'available', 'fence:share-lease': 5 }],
      ]),
      Snapshot: new Map(),
    });
    for (const store of [sql, memory]) {
      expect(await store.run(plan, { share: 's1', shareLeaseToken: 0 })).toMatchObject({ ok: true });
      expect(await store.run(plan, { share: 's2', shareLeaseToken: 3 })).toMatchObject({ ok: false, failed: [{ condition: 'fresh', expected: { op: 'holds' }, actual: false }] });
      expect(await store.run(plan, { share: 's2', shareLeaseToken: 5 })).toMatchObject({ ok: true });
    }
    expect(db.prepare("SELECT status FROM share WHERE id = 's2'").get()).toEqual({ status: 'deleting' });
  });

  it('token(L, a) and token(L, b) in one guard are refused, naming the step', () => {
    const other: Typed = { kind: 'local', type: { kind: 'ref', resource: 'Share' }, name: 'other' };
    const cond: Typed = { kind: 'binary', type: { kind: 'bool' }, op: '==', left: token, right: { ...token, on: other } };
    expect(() => withFilter(cond)).toThrow(/operations\[0\]\.steps\[0\].*token\(share-lease, …\) of two instances in one guard/s);
  });
});

describe('acquire with a timeout in locks.ts', () => {
  it('names the steps that give up, shows the LockTimeoutError pattern, and compiles', async () => {
    const analyzed = analyzeModel({
      ...UPDATE_DOCUMENT,
      locks: [{ name: 'share-lock', key: 'Share', backend: 'postgres-advisory' }],
      operations: [
        {
          name: 'resize',
          params: [{ name: 'share', type: 'Share' }],
          steps: [{ kind: 'acquire', label: 'take', lock: 'share-lock', on: 'share', timeout: 5, else: [{ kind: 'abort', message: 'busy' }] }, { kind: 'release', lock: 'share-lock', on: 'share' }],
        },
      ],
    });
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    const out = filesOf(generate(analyzed.value, { version: 1 }));
    const locks = out['locks.ts']!;
    expect(locks).toContain('export { using, withLocks, LockTimeoutError, type LockProvider, type HeldLocks }');
    expect(locks).toContain('Taken with a timeout (LockTimeoutError, then the else steps) by: resize › take (5 s).');
    expect(locks).toContain('using(lock, id, provider, { timeout: seconds })');
    const project = tempProject('timeout-compile', {
      ...withRuntime(out, 'locks.ts'),
      'service.ts': `
import { LockTimeoutError, shareLock, using, withLocks } from './locks.js';
import { pgAdvisoryLocks, type AdvisoryPoolLike } from './lockstep-runtime/pg-advisory-locks.js';
export async function resize(pool: AdvisoryPoolLike, share: string): Promise<'resized' | 'busy'> {
  try {
    return await withLocks([using(shareLock, share, pgAdvisoryLocks(pool), { timeout: 5 })], async () => 'resized' as const);
  } catch (error) {
    if (error instanceof LockTimeoutError) return 'busy';
    throw error;
  }
}
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.output).toBe('');
  });
});
