/**
 * The lease-and-fencing example's fenced write, generated and run against
 * memory, a real SQLite file and a real PostgreSQL: a write carrying an older
 * fencing token than the row already accepted is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshConfig, providers } from '../helpers/db';
import { filesOf, generateExample, tempProject, withRuntime } from './helpers';
import type * as Runtime from '@/lib/codegen/runtime/guard-plan';
import type { memoryStore } from '@/lib/codegen/runtime/memory-store';
import type { sqlStore } from '@/lib/codegen/runtime/sql-store';
import type { pgDriver } from '@/lib/codegen/runtime/pg-driver';
import type { sqliteDriver } from '@/lib/codegen/runtime/sqlite-driver';
import type { SqlMapping } from '@/lib/codegen/runtime/sql-store';

/** The generated guards.ts, with the runtime's stores and drivers it is used with. */
type Guards = {
  SQL_TABLES: SqlMapping;
  extendShareFencedWriteSize(store: Runtime.GuardStore, args: { share: string; size: number; shareLeaseFencedToken: number }): Promise<Runtime.GuardResult>;
  memoryStore: typeof memoryStore;
  sqlStore: typeof sqlStore;
  pgDriver: typeof pgDriver;
  sqliteDriver: typeof sqliteDriver;
};

let guards: Guards;
let project: { dir: string; remove(): void };
beforeAll(async () => {
  project = tempProject('fencing', withRuntime(filesOf(generateExample('lease-and-fencing.json')), 'guards.ts'));
  const load = (file: string) => import(pathToFileURL(path.join(project.dir, file)).href);
  const rt = 'lockstep-runtime';
  guards = Object.assign(
    {},
    await load('guards.ts'),
    await load(`${rt}/memory-store.ts`),
    await load(`${rt}/sql-store.ts`),
    await load(`${rt}/pg-driver.ts`),
    await load(`${rt}/sqlite-driver.ts`),
  ) as Guards;
});
afterAll(() => project?.remove());

async function scenario(store: Runtime.GuardStore, size: () => Promise<number>) {
  const write = (value: number, token: number) => guards.extendShareFencedWriteSize(store, { share: 's1', size: value - 1, shareLeaseFencedToken: token });
  // The new holder (token 2) writes first; the old holder (token 1) wakes up after its lease expired.
  expect(await write(2, 2)).toMatchObject({ ok: true });
  expect(await write(1, 1)).toEqual({ ok: false, outcome: 'abort', reason: 'fenced out: a newer fencing token was already accepted', guard: 'extendShareFencedWriteSize' });
  expect(await size()).toBe(2);
  expect(await write(3, 2)).toMatchObject({ ok: true }); // the same holder again
  expect(await write(4, 5)).toMatchObject({ ok: true });
  expect(await write(9, 4)).toMatchObject({ ok: false });
  expect(await size()).toBe(4);
}

describe('fenced write guard', () => {
  it('memory store', async () => {
    const rows = { Share: new Map<Runtime.RowId, Record<string, Runtime.Value>>([['s1', { state: 'available', size: 0 }]]) };
    await scenario(guards.memoryStore(rows), async () => Number(rows.Share.get('s1')!.size));
  });

  it.each(providers)('SQL store on %s', async (provider) => {
    const fresh = await freshConfig(provider);
    const ddl = 'CREATE TABLE share (id TEXT PRIMARY KEY, status TEXT NOT NULL, size INTEGER NOT NULL, share_lease_fenced_fence INTEGER)';
    try {
      if (fresh.config.provider === 'sqlite') {
        const db = new Database(fresh.config.file);
        db.exec(ddl);
        db.exec("INSERT INTO share VALUES ('s1', 'available', 0, NULL)");
        await scenario(guards.sqlStore(guards.sqliteDriver(db), guards.SQL_TABLES), async () => Number((db.prepare('SELECT size FROM share').get() as { size: number }).size));
        db.close();
      } else {
        const pool = new pg.Pool({ connectionString: fresh.config.url, max: 2 });
        await pool.query(ddl);
        await pool.query("INSERT INTO share VALUES ('s1', 'available', 0, NULL)");
        await scenario(guards.sqlStore(guards.pgDriver(pool), guards.SQL_TABLES), async () => Number((await pool.query('SELECT size FROM share')).rows[0].size));
        await pool.end();
      }
    } finally {
      await fresh.drop();
    }
  });
});
