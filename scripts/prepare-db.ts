// Migrates the database named by DATABASE_URL (default: data/lockstep.db) and
// loads the example models into it when it is empty. Run by `npm start`.
import { resolveDbConfig } from '@/lib/db/config';
import { prepareDatabase } from '@/lib/db/setup';

try {
  await prepareDatabase(resolveDbConfig(), { log: (line) => console.log(`[lockstep] ${line}`) });
} catch (error) {
  console.error(`[lockstep] database setup failed: ${(error as Error).message}`);
  process.exit(1);
}
