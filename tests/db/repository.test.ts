import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateModel, type ModelDocument } from '@/lib/model';
import {
  createModel,
  deleteModel,
  getModel,
  getVersion,
  listModels,
  listVersions,
  saveVersion,
} from '@/lib/db/models';
import { freshDb, providers, sampleDocument, type TestDb } from '../helpers/db';

const doc = (name: string, description?: string): ModelDocument => {
  const r = validateModel(sampleDocument(name, description ? { description } : {}));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe.each(providers)('model repository on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider, { poolSize: 10 });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('creates a model with version 1 and lists it with its version count', async () => {
    const created = await createModel(db.prisma, { document: doc('Share lifecycle', 'delete vs snapshot'), author: 'ana', message: 'first' });
    expect(created.head).toMatchObject({ number: 1, author: 'ana', message: 'first', basedOn: null });
    expect(created.head.document.name).toBe('Share lifecycle');
    const listed = (await listModels(db.prisma)).find((m) => m.id === created.id);
    expect(listed).toMatchObject({ name: 'Share lifecycle', description: 'delete vs snapshot', versionCount: 1, headNumber: 1 });
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("lists one workspace's models with the shipped examples, and a workspace's deletion takes its models", async () => {
    const workspace = (name: string) => db.prisma.workspace.create({ data: { id: `ws-${name}-${Date.now()}xxxx`, name, slug: `${name}-${Date.now()}` } });
    const [mine, theirs] = await Promise.all([workspace('mine'), workspace('theirs')]);
    const inMine = await createModel(db.prisma, { document: doc('in mine'), workspaceId: mine.id, authorId: null, author: 'ana' });
    const inTheirs = await createModel(db.prisma, { document: doc('in theirs'), workspaceId: theirs.id });
    const example = await createModel(db.prisma, { document: doc('an example'), workspaceId: null });
    const ids = (await listModels(db.prisma, { workspaceIds: [mine.id] })).map((m) => m.id);
    expect(ids).toContain(inMine.id);
    expect(ids).toContain(example.id);
    expect(ids).not.toContain(inTheirs.id);
    expect((await listModels(db.prisma, { workspaceIds: [mine.id], examples: false })).map((m) => m.id)).toEqual([inMine.id]);
    expect(inMine.workspaceId).toBe(mine.id);

    await db.prisma.workspace.delete({ where: { id: theirs.id } });
    expect(await getModel(db.prisma, inTheirs.id)).toBeNull();
    expect(await getModel(db.prisma, inMine.id)).not.toBeNull();
  });

  it('saves on the head, refuses a stale or unknown base with the current head, and never changes stored versions', async () => {
    const m = await createModel(db.prisma, { document: doc('v1') });
    const second = await saveVersion(db.prisma, m.id, 1, { document: doc('v2'), author: 'bo', message: 'rename' });
    expect(second).toMatchObject({ ok: true, version: { number: 2, basedOn: 1, author: 'bo', message: 'rename' } });

    const stale = await saveVersion(db.prisma, m.id, 1, { document: doc('lost update') });
    expect(stale.ok).toBe(false);
    if (!stale.ok && stale.reason === 'conflict') {
      expect(stale.head.number).toBe(2);
      expect(stale.head.document.name).toBe('v2');
    } else throw new Error(`expected a conflict, got ${JSON.stringify(stale)}`);

    const future = await saveVersion(db.prisma, m.id, 7, { document: doc('from the future') });
    expect(future).toMatchObject({ ok: false, reason: 'conflict' });

    expect((await getVersion(db.prisma, m.id, 1))?.document.name).toBe('v1');
    expect((await getModel(db.prisma, m.id))?.head.document.name).toBe('v2');
    expect((await listVersions(db.prisma, m.id))?.map((v) => v.number)).toEqual([2, 1]);
  });

  it('the database itself refuses to change a stored version', async () => {
    const m = await createModel(db.prisma, { document: doc('frozen') });
    await expect(
      db.prisma.modelVersion.update({ where: { modelId_number: { modelId: m.id, number: 1 } }, data: { message: 'rewritten history' } }),
    ).rejects.toThrow(); // SQLite: RAISE(ABORT) (the adapter reports it as a constraint); PostgreSQL: 'model versions are immutable'
    expect((await getVersion(db.prisma, m.id, 1))?.message).toBe('Created');
    expect(await deleteModel(db.prisma, m.id)).toBe(true);
  });

  it('answers unknown ids with not-found / null', async () => {
    expect(await getModel(db.prisma, 'AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(await getModel(db.prisma, "'; DROP TABLE \"Model\"; --")).toBeNull();
    expect(await saveVersion(db.prisma, 'AAAAAAAAAAAAAAAAAAAAAA', 1, { document: doc('x') })).toEqual({ ok: false, reason: 'not-found' });
    expect(await listVersions(db.prisma, 'AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(await deleteModel(db.prisma, 'AAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });

  it('deletes a model with all its versions', async () => {
    const m = await createModel(db.prisma, { document: doc('doomed') });
    await saveVersion(db.prisma, m.id, 1, { document: doc('doomed 2') });
    expect(await deleteModel(db.prisma, m.id)).toBe(true);
    expect(await getModel(db.prisma, m.id)).toBeNull();
    expect(await getVersion(db.prisma, m.id, 1)).toBeNull();
    expect(await db.prisma.modelVersion.count({ where: { modelId: m.id } })).toBe(0);
    expect(await deleteModel(db.prisma, m.id)).toBe(false);
  });

  it('50 concurrent saves on the same base: exactly 1 succeeds, 49 conflict, no number lost or duplicated', async () => {
    const m = await createModel(db.prisma, { document: doc('race') });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => saveVersion(db.prisma, m.id, 1, { document: doc(`writer ${i}`), author: `w${i}` })),
    );
    const wins = results.filter((r) => r.ok);
    const conflicts = results.filter((r) => !r.ok && r.reason === 'conflict');
    expect(wins).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const winner = wins[0]!.ok ? wins[0]!.version : null;
    expect(winner?.number).toBe(2);
    // Every loser was told about the winner's version.
    for (const c of conflicts) if (!c.ok && c.reason === 'conflict') expect(c.head.number).toBeGreaterThanOrEqual(2);

    const versions = await listVersions(db.prisma, m.id);
    expect(versions?.map((v) => v.number)).toEqual([2, 1]);
    const head = await getModel(db.prisma, m.id);
    expect(head?.head.document.name).toBe(winner?.document.name);
    expect(head?.versionCount).toBe(2);
  });

  it('readers during concurrent saves always see a complete model whose head only moves forward', async () => {
    const m = await createModel(db.prisma, { document: doc('read while writing') });
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      while (writing) {
        const got = await getModel(db.prisma, m.id);
        expect(got).not.toBeNull();
        expect(got!.head.document.name).toBe(got!.head.number === 1 ? 'read while writing' : `v${got!.head.number}`);
        seen.push(got!.head.number);
      }
    })();
    for (let n = 1; n <= 30; n++) {
      const racers = await Promise.all([1, 2, 3].map(() => saveVersion(db.prisma, m.id, n, { document: doc(`v${n + 1}`) })));
      expect(racers.filter((r) => r.ok)).toHaveLength(1);
    }
    writing = false;
    await reader;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('20 writers retrying on conflict: every save gets its own number, 1..N with no gap', async () => {
    const m = await createModel(db.prisma, { document: doc('busy') });
    const perWriter = 3;
    const won: number[] = [];
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (let done = 0; done < perWriter; ) {
          const head = (await getModel(db.prisma, m.id))!.headNumber;
          const r = await saveVersion(db.prisma, m.id, head, { document: doc(`w${w}-${done}`) });
          if (r.ok) {
            won.push(r.version.number);
            done++;
          } else conflicts++;
        }
      }),
    );
    const expected = Array.from({ length: 20 * perWriter }, (_, i) => i + 2);
    expect([...won].sort((a, b) => a - b)).toEqual(expected);
    const stored = (await listVersions(db.prisma, m.id))!.map((v) => v.number).sort((a, b) => a - b);
    expect(stored).toEqual([1, ...expected]);
    expect(conflicts).toBeGreaterThan(0);
  });
});
