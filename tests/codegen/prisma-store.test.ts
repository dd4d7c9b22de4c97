/**
 * The generated Prisma store against a real Prisma client on SQLite and
 * PostgreSQL. The app's own schema stands in for a service's: Share is the
 * `Model` table (its `name` column holds the state) and Snapshot is
 * `ModelVersion` (`author` holds the state, `modelId` the share).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { freshDb, providers, type TestDb } from '../helpers/db';
import { filesOf, generateExample, tempProject, withRuntime } from './helpers';

type Guards = typeof import('@/lib/codegen/runtime/prisma-store') & {
  deleteShareMarkDeleting(store: unknown, args: { share: string }): Promise<{ ok: boolean; reason?: string }>;
  createSnapshotMarkSnapshotting(store: unknown, args: { share: string }): Promise<{ ok: boolean; reason?: string }>;
};

const MAPPING = {
  Share: { model: 'model', id: 'id', fields: { state: 'name' } },
  Snapshot: { model: 'modelVersion', id: 'id', fields: { state: 'author', share: 'modelId' } },
};

let project: { dir: string; remove(): void };
let guards: Guards;

beforeAll(async () => {
  project = tempProject('prisma', withRuntime(filesOf(generateExample('share-delete-vs-snapshot.json')), 'guards.ts'));
  const load = (file: string) => import(pathToFileURL(path.join(project.dir, file)).href);
  guards = { ...(await load('guards.ts')), ...(await load('lockstep-runtime/prisma-store.ts')) } as Guards;
});
afterAll(() => project?.remove());

describe.each(providers)('generated guards through Prisma on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider, { poolSize: 8 });
  }, 60_000);
  afterAll(async () => db?.cleanup());

  async function reset(share: string, snapshot: string) {
    await db.prisma.modelVersion.deleteMany({});
    await db.prisma.model.deleteMany({});
    await db.prisma.model.create({ data: { id: 's1', name: share } });
    await db.prisma.modelVersion.create({ data: { id: 'n1', modelId: 's1', number: 1, document: {}, author: snapshot } });
  }
  const state = async () => (await db.prisma.model.findUniqueOrThrow({ where: { id: 's1' } })).name;

  it('the transaction guard moves an idle share to deleting, and refuses while a snapshot lives', async () => {
    const store = guards.prismaStore(db.prisma, MAPPING);
    await reset('available', 'absent');
    expect(await guards.deleteShareMarkDeleting(store, { share: 's1' })).toMatchObject({ ok: true });
    expect(await state()).toBe('deleting');
    expect(await guards.deleteShareMarkDeleting(store, { share: 's1' })).toMatchObject({ ok: false, reason: 'share is busy' });

    await reset('available', 'available');
    expect(await guards.deleteShareMarkDeleting(store, { share: 's1' })).toMatchObject({ ok: false, reason: 'share has snapshots' });
    expect(await state()).toBe('available');
  });

  it('concurrent deletes and snapshots: exactly one guard wins each round', async () => {
    const store = guards.prismaStore(db.prisma, MAPPING);
    for (let round = 0; round < 10; round++) {
      await reset('available', 'absent');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2 ? guards.createSnapshotMarkSnapshotting(store, { share: 's1' }) : guards.deleteShareMarkDeleting(store, { share: 's1' }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(['deleting', 'snapshotting']).toContain(await state());
    }
  }, 120_000);
});
