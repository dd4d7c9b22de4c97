import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from './generated/sqlite/client';
import { resolveDbConfig, type DbConfig } from './config';

/**
 * The Prisma client type the repository is written against. Both generated
 * clients come from the same schema (only the provider differs), so the
 * PostgreSQL client has the same shape; it is typed as the SQLite one.
 */
export type Db = PrismaClient;

export interface Database {
  config: DbConfig;
  prisma: Db;
  close(): Promise<void>;
}

/** Opens a database from a config (or DATABASE_URL). Run `migrate` first. */
export async function openDatabase(config: DbConfig = resolveDbConfig(), options: { poolSize?: number } = {}): Promise<Database> {
  if (config.provider === 'sqlite') {
    mkdirSync(path.dirname(config.file), { recursive: true });
    const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([
      import('./generated/sqlite/client'),
      import('@prisma/adapter-better-sqlite3'),
    ]);
    const adapter = new PrismaBetterSqlite3({ url: config.file, timeout: 10_000 });
    const prisma = new PrismaClient({ adapter });
    // One connection per client: these pragmas hold for its lifetime.
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
    await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    return { config, prisma, close: () => prisma.$disconnect() };
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import('./generated/postgresql/client'),
    import('@prisma/adapter-pg'),
  ]);
  const adapter = new PrismaPg({ connectionString: config.url, max: options.poolSize ?? 10 });
  const prisma = new PrismaClient({ adapter }) as unknown as Db;
  return { config, prisma, close: () => prisma.$disconnect() };
}
