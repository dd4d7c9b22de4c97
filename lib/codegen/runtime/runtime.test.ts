/** The guard runtime written beside generated guards.ts: stores interpret plans the same way. */
import { describe, expect, it } from 'vitest';
import type { GuardPlan, Value } from './guard-plan';
import { memoryStore, type MemoryRows } from './memory-store';
import { prismaStore } from './prisma-store';
import { sqlStore, type SqlDriver, type SqlParam } from './sql-store';

/** deleteShare › mark-deleting from the share example, as the generator plans it. */
const markDeleting: GuardPlan = {
  guard: 'deleteShareMarkDeleting',
  operation: 'deleteShare',
  step: 'mark-deleting',
  resources: ['Share', 'Snapshot'],
  ops: [
    { kind: 'require', cond: { kind: 'in', value: { kind: 'field', row: { kind: 'arg', name: 'share' }, resource: 'Share', field: 'state' }, items: [{ kind: 'const', value: 'available' }, { kind: 'const', value: 'error' }] }, message: 'share is busy' },
    {
      kind: 'require',
      cond: {
        kind: 'not',
        arg: {
          kind: 'exists',
          variable: 'n',
          resource: 'Snapshot',
          where: {
            kind: 'and',
            args: [
              { kind: 'cmp', op: '==', left: { kind: 'field', row: { kind: 'var', name: 'n' }, resource: 'Snapshot', field: 'share' }, right: { kind: 'arg', name: 'share' } },
              { kind: 'in', value: { kind: 'field', row: { kind: 'var', name: 'n' }, resource: 'Snapshot', field: 'state' }, items: [{ kind: 'const', value: 'creating' }, { kind: 'const', value: 'available' }] },
            ],
          },
        },
      },
      message: 'share has snapshots',
    },
    { kind: 'write', resource: 'Share', row: { kind: 'arg', name: 'share' }, field: 'state', value: { kind: 'const', value: 'deleting' } },
  ],
};

function rows(share: string, snaps: Array<[string, string]>): MemoryRows {
  return {
    Share: new Map([['s1', { state: share }]]),
    Snapshot: new Map(snaps.map(([id, state]) => [id, { state, share: 's1' } as Record<string, Value>])),
  };
}

describe('memory store', () => {
  it('runs the transaction guard: refuses with the requirement that failed, changes nothing', async () => {
    const busy = rows('snapshotting', []);
    expect(await memoryStore(busy).run(markDeleting, { share: 's1' })).toEqual({ ok: false, outcome: 'abort', reason: 'share is busy', guard: 'deleteShareMarkDeleting' });
    const withSnap = rows('available', [['n1', 'absent'], ['n2', 'available']]);
    expect(await memoryStore(withSnap).run(markDeleting, { share: 's1' })).toMatchObject({ ok: false, reason: 'share has snapshots' });
    expect(withSnap.Share!.get('s1')!.state).toBe('available');
    const free = rows('error', [['n1', 'absent'], ['n2', 'error']]);
    expect(await memoryStore(free).run(markDeleting, { share: 's1' })).toEqual({ ok: true, values: {}, returned: false });
    expect(free.Share!.get('s1')!.state).toBe('deleting');
  });

  it('rolls back earlier writes when a later requirement fails', async () => {
    const r = rows('available', []);
    const plan: GuardPlan = {
      ...markDeleting,
      ops: [markDeleting.ops[2]!, { kind: 'require', cond: { kind: 'bool', value: false }, message: 'no' }],
    };
    expect(await memoryStore(r).run(plan, { share: 's1' })).toMatchObject({ ok: false, reason: 'no' });
    expect(r.Share!.get('s1')!.state).toBe('available');
  });

  it('compareAndSet succeeds once among concurrent callers', async () => {
    const r = rows('available', []);
    const store = memoryStore(r);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.compareAndSet('Share', 's1', 'state', ['available'], 'deleting')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

/** A driver that records statements and answers from a script. */
function recordingDriver(dialect: 'postgres' | 'sqlite', answers: Array<{ changes?: number; rows?: Array<Record<string, unknown>> }>) {
  const log: Array<{ sql: string; params: readonly SqlParam[] }> = [];
  let transactions = 0;
  const driver: SqlDriver = {
    dialect,
    async transaction(fn) {
      transactions++;
      return fn({
        async execute(sql, params) {
          log.push({ sql, params });
          const a = answers.shift() ?? {};
          return { changes: a.changes ?? 0, rows: a.rows ?? [] };
        },
      });
    },
  };
  return { driver, log, transactions: () => transactions };
}

const TABLES = {
  Share: { table: 'share', id: 'id', columns: { state: 'status' } },
  Snapshot: { table: 'snapshot', id: 'id', columns: { state: 'status', share: 'share_id' } },
};

describe('SQL store', () => {
  it('compareAndSet is one conditional UPDATE with $n placeholders on PostgreSQL, true only when one row changed', async () => {
    const { driver, log } = recordingDriver('postgres', [{ changes: 1 }, { changes: 0 }]);
    const store = sqlStore(driver, TABLES);
    expect(await store.compareAndSet('Share', 's1', 'state', ['available', 'error'], 'deleting')).toBe(true);
    expect(await store.compareAndSet('Share', 's1', 'state', ['available', 'error'], 'deleting')).toBe(false);
    expect(log[0]).toEqual({ sql: 'UPDATE "share" SET "status" = $1 WHERE "id" = $2 AND "status" IN ($3, $4)', params: ['deleting', 's1', 'available', 'error'] });
  });

  it('a transaction guard checks each requirement in one SELECT (NOT EXISTS for the quantifier) and updates by id', async () => {
    const { driver, log, transactions } = recordingDriver('sqlite', [{ rows: [{ ok: 1 }] }, { rows: [{ ok: 1 }] }, { changes: 1 }]);
    expect(await sqlStore(driver, TABLES).run(markDeleting, { share: 's1' })).toEqual({ ok: true, values: {}, returned: false });
    expect(transactions()).toBe(1);
    expect(log).toEqual([
      { sql: 'SELECT CASE WHEN (SELECT "status" FROM "share" WHERE "id" = ?) IN (?, ?) THEN 1 ELSE 0 END AS ok', params: ['s1', 'available', 'error'] },
      {
        sql: 'SELECT CASE WHEN NOT COALESCE((EXISTS (SELECT 1 FROM "snapshot" AS "n" WHERE COALESCE((("n"."share_id" = ?) AND ("n"."status" IN (?, ?))), FALSE))), FALSE) THEN 1 ELSE 0 END AS ok',
        params: ['s1', 'creating', 'available'],
      },
      { sql: 'UPDATE "share" SET "status" = ? WHERE "id" = ?', params: ['deleting', 's1'] },
    ]);
  });

  it('a failed requirement ends the transaction with the reason and writes nothing', async () => {
    const { driver, log } = recordingDriver('postgres', [{ rows: [{ ok: 1 }] }, { rows: [{ ok: 0 }] }]);
    expect(await sqlStore(driver, TABLES).run(markDeleting, { share: 's1' })).toMatchObject({ ok: false, reason: 'share has snapshots' });
    expect(log).toHaveLength(2);
    expect(log[1]!.sql).toContain('$1');
  });
});

const fencedWrite: GuardPlan = {
  guard: 'g',
  operation: 'o',
  step: 'w',
  resources: ['Share'],
  ops: [{ kind: 'write', resource: 'Share', row: { kind: 'arg', name: 'share' }, field: 'state', value: { kind: 'const', value: 'x' }, fence: { field: 'fence:L', token: { kind: 'arg', name: 'token' } } }],
};

describe('fenced writes', () => {
  it('SQL: one UPDATE storing the token, only when no higher one was accepted', async () => {
    const { driver, log } = recordingDriver('postgres', [{ changes: 1 }]);
    const tables = { Share: { table: 'share', id: 'id', columns: { state: 'status', 'fence:L': 'l_fence' } } };
    expect(await sqlStore(driver, tables).run(fencedWrite, { share: 's1', token: 7 })).toMatchObject({ ok: true });
    expect(log[0]).toEqual({
      sql: 'UPDATE "share" SET "status" = $1, "l_fence" = $2 WHERE "id" = $3 AND ("l_fence" IS NULL OR "l_fence" <= $4)',
      params: ['x', 7, 's1', 7],
    });
  });
});

describe('Prisma store', () => {
  function fakePrisma(counts: number[], updates: number[], conflicts = 0) {
    const calls: Array<[string, string, unknown]> = [];
    const delegate = (model: string) => ({
      updateMany: async (args: unknown) => (calls.push([model, 'updateMany', args]), { count: updates.shift() ?? 0 }),
      count: async (args: unknown) => (calls.push([model, 'count', args]), counts.shift() ?? 0),
      findUnique: async (args: unknown) => (calls.push([model, 'findUnique', args]), { status: 'available' }),
    });
    const tx = { share: delegate('share'), snapshot: delegate('snapshot') };
    const client = {
      ...tx,
      async $transaction(fn: (tx: unknown) => Promise<unknown>, options?: unknown) {
        calls.push(['client', '$transaction', options]);
        if (conflicts > 0) {
          conflicts--;
          throw Object.assign(new Error('write conflict'), { code: 'P2034' });
        }
        return fn(tx);
      },
    };
    return { client, calls };
  }
  const MODELS = {
    Share: { model: 'share', id: 'id', fields: { state: 'status' } },
    Snapshot: { model: 'snapshot', id: 'id', fields: { state: 'status', share: 'shareId' } },
  };

  it('compareAndSet is updateMany with the expected states in where, at Serializable, success when count === 1', async () => {
    const { client, calls } = fakePrisma([], [1, 0]);
    const store = prismaStore(client, MODELS);
    expect(await store.compareAndSet('Share', 's1', 'state', ['available'], 'snapshotting')).toBe(true);
    expect(await store.compareAndSet('Share', 's1', 'state', ['available'], 'snapshotting')).toBe(false);
    expect(calls.slice(0, 2)).toEqual([
      ['client', '$transaction', { isolationLevel: 'Serializable' }],
      ['share', 'updateMany', { where: { id: 's1', status: { in: ['available'] } }, data: { status: 'snapshotting' } }],
    ]);
  });

  it('a quantifier becomes count({ where }) on the quantified model; retried on P2034', async () => {
    const { client, calls } = fakePrisma([0], [1], 1);
    expect(await prismaStore(client, MODELS).run(markDeleting, { share: 's1' })).toMatchObject({ ok: true });
    expect(calls.filter((c) => c[1] === '$transaction')).toHaveLength(2);
    expect(calls).toContainEqual(['snapshot', 'count', { where: { AND: [{ shareId: { equals: 's1' } }, { status: { in: ['creating', 'available'] } }] } }]);
    expect(calls).toContainEqual(['share', 'updateMany', { where: { id: 's1' }, data: { status: 'deleting' } }]);
  });

  it('a fenced write filters on the stored token', async () => {
    const { client, calls } = fakePrisma([], [1]);
    const models = { Share: { model: 'share', id: 'id', fields: { state: 'status', 'fence:L': 'lFence' } } };
    expect(await prismaStore(client, models).run(fencedWrite, { share: 's1', token: 3 })).toMatchObject({ ok: true });
    expect(calls).toContainEqual(['share', 'updateMany', { where: { id: 's1', OR: [{ lFence: null }, { lFence: { lte: 3 } }] }, data: { status: 'x', lFence: 3 } }]);
  });
});

/** deleteShare › mark-deleting as an update step (Cinder's conditional_update with a filter). */
const noSnapshots = (markDeleting.ops[1] as { cond: import('./guard-plan').Cond }).cond;
const shareRow = { kind: 'arg', name: 'share' } as const;
const updateDelete: GuardPlan = {
  guard: 'deleteShareMarkDeleting',
  operation: 'deleteShare',
  step: 'mark-deleting',
  resources: ['Share', 'Snapshot'],
  ops: [
    {
      kind: 'update',
      resource: 'Share',
      row: shareRow,
      checks: [
        { kind: 'where', name: 'state', field: 'state', op: 'in', values: [{ kind: 'const', value: 'available' }, { kind: 'const', value: 'error' }] },
        { kind: 'filter', name: 'noSnapshots', cond: noSnapshots },
      ],
      set: [
        { field: 'state', value: { kind: 'const', value: 'deleting' } },
        { field: 'previous', value: { kind: 'field', row: shareRow, resource: 'Share', field: 'state' } },
      ],
      message: 'busy',
    },
  ],
};
/** A version-counter update: where version == v and state != deleted; set version = version + 1. */
const bump: GuardPlan = {
  guard: 'bump',
  operation: 'o',
  step: 'bump',
  resources: ['Share'],
  ops: [
    {
      kind: 'update',
      resource: 'Share',
      row: shareRow,
      checks: [
        { kind: 'where', name: 'version', field: 'version', op: '==', values: [{ kind: 'arg', name: 'v' }] },
        { kind: 'where', name: 'state', field: 'state', op: 'not in', values: [{ kind: 'const', value: 'deleted' }] },
      ],
      set: [{ field: 'version', value: { kind: 'add', left: { kind: 'field', row: shareRow, resource: 'Share', field: 'version' }, right: { kind: 'const', value: 1 } } }],
      message: 'stale',
    },
  ],
};

describe('update steps', () => {
  const UPDATE_TABLES = {
    Share: { table: 'share', id: 'id', columns: { state: 'status', previous: 'previous_status', version: 'version' } },
    Snapshot: TABLES.Snapshot,
  };

  it('memory: every value is computed on the old row; a failure lists each failed condition, expected vs actual', async () => {
    const r = rows('available', [['n1', 'creating']]);
    r.Share!.get('s1')!.previous = 'error';
    const store = memoryStore(r);
    expect(await store.run(updateDelete, { share: 's1' })).toEqual({
      ok: false,
      outcome: 'abort',
      reason: 'busy',
      guard: 'deleteShareMarkDeleting',
      failed: [{ condition: 'noSnapshots', expected: { op: 'holds' }, actual: false }],
    });
    r.Snapshot!.get('n1')!.state = 'absent';
    r.Share!.get('s1')!.state = 'in_use';
    expect(await store.run(updateDelete, { share: 's1' })).toMatchObject({
      failed: [{ condition: 'state', expected: { op: 'in', values: ['available', 'error'] }, actual: 'in_use' }],
    });
    r.Share!.get('s1')!.state = 'error';
    expect(await store.run(updateDelete, { share: 's1' })).toEqual({ ok: true, values: {}, returned: false });
    expect(r.Share!.get('s1')).toEqual({ state: 'deleting', previous: 'error' });
  });

  it('updateResult: the step decides the outcome; failedAs is the first failed condition', async () => {
    const { updateResult } = await import('./guard-plan');
    const r = rows('deleted', []);
    r.Share!.get('s1')!.version = 3;
    const failed = updateResult<'version' | 'state'>(await memoryStore(r).run(bump, { share: 's1', v: 2 }), 'onFail');
    expect(failed).toMatchObject({ changed: false, outcome: 'onFail', failedAs: 'version' });
    expect(!failed.changed && failed.failed.map((f) => f.condition)).toEqual(['version', 'state']);
    r.Share!.get('s1')!.state = 'available';
    expect(updateResult(await memoryStore(r).run(bump, { share: 's1', v: 3 }), 'abort')).toMatchObject({ changed: true, ok: true });
    expect(r.Share!.get('s1')!.version).toBe(4);
  });

  it('SQL (PostgreSQL): ONE UPDATE with the checks, NOT EXISTS and SET over old columns; no match → one SELECT of the row', async () => {
    const { driver, log, transactions } = recordingDriver('postgres', [{ changes: 0 }, { rows: [{ c0: 0, a0: 'deleting', c1: 1 }] }]);
    const result = await sqlStore(driver, UPDATE_TABLES).run(updateDelete, { share: 's1' });
    expect(transactions()).toBe(1);
    expect(log[0]).toEqual({
      sql:
        'UPDATE "share" AS "lockstep row" SET "status" = $1, "previous_status" = "lockstep row"."status" WHERE "lockstep row"."id" = $2' +
        ' AND COALESCE(("lockstep row"."status" IN ($3, $4)), FALSE)' +
        ' AND COALESCE((NOT COALESCE((EXISTS (SELECT 1 FROM "snapshot" AS "n" WHERE COALESCE((("n"."share_id" = $5) AND ("n"."status" IN ($6, $7))), FALSE))), FALSE)), FALSE)',
      params: ['deleting', 's1', 'available', 'error', 's1', 'creating', 'available'],
    });
    expect(log[1]!.sql).toMatch(/^SELECT CASE WHEN .* END AS c0, "lockstep row"\."status" AS a0, CASE WHEN .* END AS c1 FROM "share" AS "lockstep row" WHERE "lockstep row"\."id" = \$\d+$/);
    expect(log).toHaveLength(2);
    expect(result).toMatchObject({ ok: false, failed: [{ condition: 'state', expected: { op: 'in', values: ['available', 'error'] }, actual: 'deleting' }] });
  });

  it('SQL (SQLite): ? placeholders in textual order, SET version = version + ?; one changed row succeeds with one statement', async () => {
    const { driver, log } = recordingDriver('sqlite', [{ changes: 1 }]);
    expect(await sqlStore(driver, UPDATE_TABLES).run(bump, { share: 's1', v: 7 })).toEqual({ ok: true, values: {}, returned: false });
    expect(log).toEqual([
      {
        sql:
          'UPDATE "share" AS "lockstep row" SET "version" = ("lockstep row"."version" + ?) WHERE "lockstep row"."id" = ?' +
          ' AND COALESCE(("lockstep row"."version" = ?), FALSE) AND COALESCE((NOT COALESCE(("lockstep row"."status" IN (?)), FALSE)), FALSE)',
        params: [1, 's1', 7, 'deleted'],
      },
    ]);
  });

  it('Prisma: filters as count(), then ONE updateMany with every where check and increment for version + 1', async () => {
    const calls: Array<[string, string, unknown]> = [];
    const delegate = (model: string, count: number, updated: number) => ({
      updateMany: async (args: unknown) => (calls.push([model, 'updateMany', args]), { count: updated }),
      count: async (args: unknown) => (calls.push([model, 'count', args]), count),
      findUnique: async (args: unknown) => (calls.push([model, 'findUnique', args]), { status: 'available', version: 8, previousStatus: 'x' }),
    });
    const tx = { share: delegate('share', 0, 1), snapshot: delegate('snapshot', 0, 0) };
    const client = { ...tx, $transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn(tx) };
    const models = {
      Share: { model: 'share', id: 'id', fields: { state: 'status', previous: 'previousStatus', version: 'version' } },
      Snapshot: { model: 'snapshot', id: 'id', fields: { state: 'status', share: 'shareId' } },
    };
    expect(await prismaStore(client, models).run(bump, { share: 's1', v: 8 })).toMatchObject({ ok: true });
    expect(calls).toEqual([
      ['share', 'updateMany', { where: { id: 's1', AND: [{ version: { equals: 8 } }, { status: { notIn: ['deleted'] } }] }, data: { version: { increment: 1 } } }],
    ]);
    calls.length = 0;
    // previous = state is read from the old row inside the transaction; the filter is a count.
    expect(await prismaStore(client, models).run(updateDelete, { share: 's1' })).toMatchObject({ ok: true });
    expect(calls.map(([m, op]) => `${m}.${op}`)).toEqual(['snapshot.count', 'share.findUnique', 'share.updateMany']);
    expect(calls[2]![2]).toEqual({ where: { id: 's1', AND: [{ status: { in: ['available', 'error'] } }] }, data: { status: { set: 'deleting' }, previousStatus: { set: 'available' } } });
  });
});
