import { openDatabase, type Database } from '@/lib/db/client';
import { resolveDbConfig } from '@/lib/db/config';

const holder = globalThis as unknown as { __lockstepDb?: Promise<Database> };

/**
 * The app's database, opened once per server process (DATABASE_URL decides
 * which). Migrations are applied before the server starts (scripts/start.mjs),
 * not here, so a request never waits on DDL.
 */
export function getDb(): Promise<Database> {
  holder.__lockstepDb ??= openDatabase(resolveDbConfig()).catch((error) => {
    holder.__lockstepDb = undefined;
    throw error;
  });
  return holder.__lockstepDb;
}
