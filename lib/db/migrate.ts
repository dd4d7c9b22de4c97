/**
 * A small migrator for the SQL files under prisma/migrations/<provider>/.
 *
 * Prisma's own `migrate deploy` needs its native schema engine, which cannot
 * be downloaded here, so the SQL (written by the Wasm schema engine's `diff`,
 * see scripts/prisma.mjs) is applied by this module instead. It records every
 * applied migration with a checksum in `_lockstep_migrations`, refuses to run
 * when an applied file was edited afterwards, and is safe to run from several
 * processes at once:
 * - SQLite: each migration runs in a `BEGIN IMMEDIATE` transaction (the write
 *   lock), re-checking inside it whether another process applied it first.
 * - PostgreSQL: all pending migrations run in one transaction holding an
 *   advisory lock, so instances starting together apply each one once; DDL is
 *   transactional there, so a failed migration leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { DbConfig } from './config';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

const TABLE = '_lockstep_migrations';
/** Arbitrary constant key of the PostgreSQL advisory lock the migrator holds. */
const ADVISORY_LOCK_KEY = 4_242_017_001;

export function migrationsDir(provider: DbConfig['provider'], root = process.cwd()): string {
  return path.join(root, 'prisma', 'migrations', provider);
}

/** The migrations for a provider, in name (timestamp) order. */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function checkUnchanged(m: Migration, recorded: string | undefined) {
  if (recorded !== undefined && recorded !== m.checksum) {
    throw new Error(`migration ${m.name} was edited after it was applied (checksum differs); write a new migration instead`);
  }
}

export async function migrate(config: DbConfig, options: { root?: string; dir?: string } = {}): Promise<MigrateResult> {
  const migrations = readMigrations(options.dir ?? migrationsDir(config.provider, options.root));
  return config.provider === 'sqlite' ? migrateSqlite(config.file, migrations) : migratePostgres(config.url, migrations);
}

async function migrateSqlite(file: string, migrations: Migration[]): Promise<MigrateResult> {
  const { default: Sqlite } = await import('better-sqlite3');
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied: string[] = [];
    let alreadyApplied = 0;
    const lookup = db.prepare<[string], { checksum: string }>(`SELECT checksum FROM "${TABLE}" WHERE name = ?`);
    const record = db.prepare(`INSERT INTO "${TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`);
    for (const m of migrations) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = lookup.get(m.name);
        checkUnchanged(m, row?.checksum);
        if (row) {
          alreadyApplied++;
        } else {
          db.exec(m.sql);
          record.run(m.name, m.checksum, new Date().toISOString());
          applied.push(m.name);
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }
    return { applied, alreadyApplied };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${TABLE}"`);
      const recorded = new Map(rows.map((r) => [r.name, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        checkUnchanged(m, recorded.get(m.name));
        if (recorded.has(m.name)) continue;
        await client.query(m.sql);
        await client.query(`INSERT INTO "${TABLE}" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
        applied.push(m.name);
      }
      await client.query('COMMIT');
      return { applied, alreadyApplied: migrations.length - applied.length };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    await client.end();
  }
}
