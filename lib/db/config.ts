import path from 'node:path';

/** Where the data lives: an embedded SQLite file (default) or a PostgreSQL server. */
export type DbConfig =
  | { provider: 'sqlite'; url: string; file: string }
  | { provider: 'postgresql'; url: string };

/** The SQLite file used when DATABASE_URL is not set, relative to the project root. */
export const DEFAULT_SQLITE_FILE = path.join('data', 'lockstep.db');

/**
 * Reads DATABASE_URL: unset → `data/lockstep.db`; `file:PATH` → that SQLite
 * file; `postgres://…` or `postgresql://…` → PostgreSQL. Anything else is an
 * error, so a typo never silently falls back to a different database.
 */
export function resolveDbConfig(url: string | undefined = process.env.DATABASE_URL, cwd = process.cwd()): DbConfig {
  const value = url?.trim();
  if (!value) {
    const file = path.resolve(cwd, DEFAULT_SQLITE_FILE);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) return { provider: 'postgresql', url: value };
  if (value.startsWith('file:')) {
    const rest = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!rest || rest === ':memory:') throw new Error('DATABASE_URL: an in-memory SQLite database would lose every model; name a file');
    const file = path.resolve(cwd, rest);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  throw new Error(`DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${value.slice(0, 40)}")`);
}

/** The connection string with any password masked, for logs. */
export function describeDb(config: DbConfig): string {
  if (config.provider === 'sqlite') return `SQLite ${config.file}`;
  try {
    const u = new URL(config.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
