import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDatabase, type Database, type DbConfig } from '@/lib/db';

/** The admin URL of the throwaway PostgreSQL cluster `npm test` starts (scripts/test.mjs). */
export const PG_ADMIN_URL = process.env.LOCKSTEP_TEST_PG_URL;
/** Set by `npm test`: a missing PostgreSQL is then a failure, not a skip. */
export const REQUIRE_PG = process.env.LOCKSTEP_REQUIRE_PG === '1';

export const providers: DbConfig['provider'][] = PG_ADMIN_URL || REQUIRE_PG ? ['sqlite', 'postgresql'] : ['sqlite'];

export interface TestDb extends Database {
  cleanup(): Promise<void>;
}

/** A fresh, empty database config: a new SQLite file, or a new database in the test cluster. */
export async function freshConfig(provider: DbConfig['provider']): Promise<{ config: DbConfig; drop(): Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-sqlite-'));
    const file = path.join(dir, 'test.db');
    return { config: { provider, url: `file:${file}`, file }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_ADMIN_URL) throw new Error('LOCKSTEP_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { provider, url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      // A pool that was just ended may still be closing its connections: FORCE would then terminate
      // them mid-close, and the closing client reports that as an uncaught error. Let them go first
      // (a few seconds at most); whatever is left after that is terminated.
      for (let i = 0; i < 100; i++) {
        const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated, empty database opened through the app's own code path. */
export async function freshDb(provider: DbConfig['provider'], options: { poolSize?: number } = {}): Promise<TestDb> {
  const { config, drop } = await freshConfig(provider);
  await migrate(config);
  const db = await openDatabase(config, options);
  return {
    ...db,
    async cleanup() {
      await db.close();
      await drop();
    },
  };
}

/** A valid minimal model document. */
export function sampleDocument(name = 'm', extra: Record<string, unknown> = {}) {
  return {
    name,
    resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' as const }], initial: 'available', transitions: [] }],
    ...extra,
  };
}
