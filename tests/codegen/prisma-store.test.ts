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
import { generate } from '@/lib/codegen';
import type { GuardPlan, UpdateResult } from '@/lib/codegen/runtime/guard-plan';
import { filesOf, generateExample, tempProject, withRuntime } from './helpers';
import { updateModel } from './update-model';

type Guards = typeof import('@/lib/codegen/runtime/prisma-store') & {
  deleteShareMarkDeleting(store: unknown, args: { share: string }): Promise<{ ok: boolean; reason?: string }>;
  createSnapshotMarkSnapshotting(store: unknown, args: { share: string }): Promise<{ ok: boolean; reason?: string }>;
};

const MAPPING = {
  Share: { model: 'model', id: 'id', fields: { state: 'name' } },
  Snapshot: { model: 'modelVersion', id: 'id', fields: { state: 'author', share: 'modelId' } },
};

/** The update model's generated guards (tests/codegen/update-model.ts). */
type UpdateGuards = typeof import('@/lib/codegen/runtime/prisma-store') &
  typeof import('@/lib/codegen/runtime/guard-plan') & {
    deleteShareMarkDeleting(store: unknown, args: { share: string }): Promise<UpdateResult>;
    bumpVersionBumpPlan: GuardPlan;
  };

let project: { dir: string; remove(): void };
let updateProject: { dir: string; remove(): void };
let guards: Guards;
let updates: UpdateGuards;

beforeAll(async () => {
  project = tempProject('prisma', withRuntime(filesOf(generateExample('share-delete-vs-snapshot.json')), 'guards.ts'));
  const load = (file: string) => import(pathToFileURL(path.join(project.dir, file)).href);
  guards = { ...(await load('guards.ts')), ...(await load('lockstep-runtime/prisma-store.ts')) } as Guards;
  updateProject = tempProject('prisma-update', withRuntime(filesOf(generate(updateModel(), { version: 1 })), 'guards.ts'));
  const loadUpdate = (file: string) => import(pathToFileURL(path.join(updateProject.dir, file)).href);
  updates = Object.assign({}, ...(await Promise.all(['guards.ts', 'lockstep-runtime/prisma-store.ts', 'lockstep-runtime/guard-plan.ts'].map(loadUpdate)))) as UpdateGuards;
});
afterAll(() => {
  project?.remove();
  updateProject?.remove();
});

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

/** Share is `Model` (`name` the state, `headNumber` the version, `description` the previous state). */
const UPDATE_MAPPING = {
  Share: { model: 'model', id: 'id', fields: { state: 'name', version: 'headNumber', previous: 'description' } },
  Snapshot: { model: 'modelVersion', id: 'id', fields: { state: 'author', share: 'modelId' } },
};

describe.each(providers)('generated update guards through Prisma on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider, { poolSize: 8 });
  }, 60_000);
  afterAll(async () => db?.cleanup());

  async function reset(share: string, snapshot: string) {
    await db.prisma.modelVersion.deleteMany({});
    await db.prisma.model.deleteMany({});
    await db.prisma.model.create({ data: { id: 's1', name: share, description: 'none' } });
    await db.prisma.modelVersion.create({ data: { id: 'n1', modelId: 's1', number: 1, document: {}, author: snapshot } });
  }
  const row = () => db.prisma.model.findUniqueOrThrow({ where: { id: 's1' } });

  it('the delete guard: count() for the filter, updateMany with the where checks, previous = the old state', async () => {
    const store = updates.prismaStore(db.prisma, UPDATE_MAPPING);
    await reset('error', 'absent');
    expect(await updates.deleteShareMarkDeleting(store, { share: 's1' })).toMatchObject({ changed: true });
    expect(await row()).toMatchObject({ name: 'deleting', description: 'error' });
    expect(await updates.deleteShareMarkDeleting(store, { share: 's1' })).toMatchObject({
      changed: false,
      failedAs: 'state',
      failed: [{ condition: 'state', expected: { op: 'in', values: ['available', 'error'] }, actual: 'deleting' }],
    });
    await reset('in_use', 'creating');
    const both = await updates.deleteShareMarkDeleting(store, { share: 's1' });
    expect(!both.changed && both.failed.map((f) => f.condition)).toEqual(['state', 'noSnapshots']);
    expect((await row()).name).toBe('in_use');
  });

  it('version counter: 8 concurrent writers holding version 1, one wins (increment), the rest are stale', async () => {
    // The bump plan without its size column (the stand-in table has one int column).
    const plan = { ...updates.bumpVersionBumpPlan, ops: updates.bumpVersionBumpPlan.ops.map((op) => (op.kind === 'update' ? { ...op, set: op.set.slice(0, 1) } : op)) };
    const store = updates.prismaStore(db.prisma, UPDATE_MAPPING);
    for (let round = 0; round < 5; round++) {
      await reset('available', 'absent');
      const results = await Promise.all(Array.from({ length: 8 }, () => store.run(plan, { share: 's1', v: 1 }).then((r) => updates.updateResult(r, 'onFail'))));
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect((await row()).headNumber).toBe(2);
      for (const r of results) if (!r.changed) expect(r).toMatchObject({ failedAs: 'version', failed: [{ expected: { op: '==', values: [1] }, actual: 2 }] });
    }
  }, 120_000);
});
