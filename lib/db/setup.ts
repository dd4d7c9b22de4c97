import { describeDb, resolveDbConfig, type DbConfig } from './config';
import { migrate } from './migrate';
import { openDatabase } from './client';
import { seedExamples, type SeedResult } from './seed';

/** Migrates the database and seeds the examples into it when it is empty. Used by `npm start` and the tests. */
export async function prepareDatabase(
  config: DbConfig = resolveDbConfig(),
  options: { examplesDir?: string; seed?: boolean; log?: (line: string) => void } = {},
): Promise<{ applied: string[]; seed: SeedResult | null }> {
  const log = options.log ?? (() => {});
  const { applied, alreadyApplied } = await migrate(config);
  log(`database: ${describeDb(config)}; migrations applied now: ${applied.length}, before: ${alreadyApplied}`);
  if (options.seed === false) return { applied, seed: null };
  const db = await openDatabase(config, { poolSize: 2 });
  try {
    const seed = await seedExamples(db.prisma, options.examplesDir);
    if (seed.seeded.length) log(`database: loaded ${seed.seeded.length} example model(s): ${seed.seeded.join(', ')}`);
    for (const s of seed.skipped) log(`database: skipped invalid example ${s.file}: ${s.reason}`);
    return { applied, seed };
  } finally {
    await db.close();
  }
}
