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
