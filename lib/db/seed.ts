/**
 * Loads the example models (examples/*.json) into an empty database, once.
 *
 * Idempotent and safe with several instances starting together: an `AppMeta`
 * row marks the seeding, inserted in the same transaction as the models, so a
 * second run (or a concurrent one, which fails on that row's primary key) adds
 * nothing. A database that already holds models is never seeded.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseModelJson, type ModelDocument } from '@/lib/model';
import type { Db } from './client';
import { newId } from './ids';

const SEEDED_KEY = 'examples-seeded';

export interface SeedResult {
  seeded: string[];
  skipped: { file: string; reason: string }[];
  /** Why nothing was seeded, when nothing was. */
  reason?: 'already-seeded' | 'not-empty' | 'no-examples';
}

export async function seedExamples(db: Db, dir = path.join(process.cwd(), 'examples')): Promise<SeedResult> {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const valid: { file: string; document: ModelDocument }[] = [];
  const skipped: SeedResult['skipped'] = [];
  for (const file of files) {
    const parsed = parseModelJson(readFileSync(path.join(dir, file), 'utf8'));
    if (parsed.ok) valid.push({ file, document: parsed.value });
    else skipped.push({ file, reason: parsed.issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ') });
  }
  if (valid.length === 0) return { seeded: [], skipped, reason: 'no-examples' };

  try {
    return await db.$transaction(
      async (tx) => {
        await tx.appMeta.create({ data: { key: SEEDED_KEY, value: valid.map((v) => v.file).join(',') } });
        if ((await tx.model.count()) > 0) return { seeded: [], skipped, reason: 'not-empty' as const };
        const now = Date.now();
        for (const [i, { file, document }] of valid.entries()) {
          const id = newId();
          // Stagger timestamps so the list shows the examples in file order.
          const at = new Date(now - i * 1000);
          await tx.model.create({
            data: { id, name: document.name, description: document.description ?? '', headNumber: 1, createdAt: at, updatedAt: at },
          });
          await tx.modelVersion.create({
            data: { id: newId(), modelId: id, number: 1, document: document as object, author: 'lockstep', message: `Example from examples/${file}`, createdAt: at },
          });
        }
        return { seeded: valid.map((v) => v.file), skipped };
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2002') return { seeded: [], skipped, reason: 'already-seeded' };
    throw error;
  }
}
