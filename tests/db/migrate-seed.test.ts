import { cpSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, migrationsDir, openDatabase, readMigrations, seedExamples, createModel } from '@/lib/db';
import { validateModel } from '@/lib/model';
import { freshConfig, providers, sampleDocument } from '../helpers/db';

const tables = ['Model', 'ModelVersion', 'CheckRun', 'ShareLink', 'AppMeta'];
const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(providers)('migrator on %s', (provider) => {
  it('applies every migration once, records it, and applies nothing the second time', async () => {
    const { config, drop } = await freshConfig(provider);
    try {
      const all = readMigrations(migrationsDir(provider)).map((m) => m.name);
      expect(all.length).toBeGreaterThan(0);
      expect(await migrate(config)).toEqual({ applied: all, alreadyApplied: 0 });
      expect(await migrate(config)).toEqual({ applied: [], alreadyApplied: all.length });
      const db = await openDatabase(config);
      try {
        for (const t of tables) {
          const rows = await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT count(*) AS n FROM "${t}"`);
          expect(rows).toHaveLength(1);
        }
      } finally {
        await db.close();
      }
    } finally {
      await drop();
    }
  });

  it('instances starting together apply each migration exactly once', async () => {
    const { config, drop } = await freshConfig(provider);
    try {
      const results = await Promise.all([migrate(config), migrate(config), migrate(config)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(readMigrations(migrationsDir(provider)).map((m) => m.name).sort());
    } finally {
      await drop();
    }
  });

  it('refuses to run when an applied migration file was edited afterwards', async () => {
    const { config, drop } = await freshConfig(provider);
    const dir = tempDir('lockstep-mig-');
    try {
      cpSync(migrationsDir(provider), dir, { recursive: true });
      await migrate(config, { dir });
      const first = readdirSync(dir).sort()[0]!;
      appendFileSync(path.join(dir, first, 'migration.sql'), '\n-- edited\n');
      await expect(migrate(config, { dir })).rejects.toThrow(/edited after it was applied/);
    } finally {
      await drop();
    }
  });
});

describe('SQLite file', () => {
  it('is in WAL mode after migrating', async () => {
    const { config, drop } = await freshConfig('sqlite');
    try {
      await migrate(config);
      if (config.provider !== 'sqlite') throw new Error('unreachable');
      const raw = new Sqlite(config.file);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    } finally {
      await drop();
    }
  });
});

describe.each(providers)('seeding the examples on %s', (provider) => {
  function examplesDir() {
    const dir = tempDir('lockstep-examples-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a-share.json'), JSON.stringify(sampleDocument('Share example', { description: 'seeded' })));
    writeFileSync(path.join(dir, 'b-cache.json'), JSON.stringify(sampleDocument('Cache example')));
    writeFileSync(path.join(dir, 'c-broken.json'), JSON.stringify({ name: 'broken', resources: [] }));
    return dir;
  }

  it('loads valid examples into an empty database once; a second run adds nothing', async () => {
    const { config, drop } = await freshConfig(provider);
    await migrate(config);
    const db = await openDatabase(config);
    try {
      const dir = examplesDir();
      const first = await seedExamples(db.prisma, dir);
      expect(first.seeded).toEqual(['a-share.json', 'b-cache.json']);
      expect(first.skipped.map((s) => s.file)).toEqual(['c-broken.json']);
      expect(first.skipped[0]!.reason).toContain('resources');
      const again = await Promise.all([seedExamples(db.prisma, dir), seedExamples(db.prisma, dir)]);
      expect(again.every((r) => r.seeded.length === 0 && r.reason === 'already-seeded')).toBe(true);
      const seeded = await db.prisma.model.findMany({ select: { name: true, workspaceId: true }, orderBy: { name: 'asc' } });
      expect(seeded.map((m) => m.name)).toEqual(['Cache example', 'Share example']);
      // The examples belong to no workspace: the read-only gallery every account sees.
      expect(seeded.every((m) => m.workspaceId === null)).toBe(true);
    } finally {
      await db.close();
      await drop();
    }
  });

  it('never seeds a database that already holds models', async () => {
    const { config, drop } = await freshConfig(provider);
    await migrate(config);
    const db = await openDatabase(config);
    try {
      const v = validateModel(sampleDocument('mine'));
      if (!v.ok) throw new Error('fixture');
      await createModel(db.prisma, { document: v.value });
      const r = await seedExamples(db.prisma, examplesDir());
      expect(r).toMatchObject({ seeded: [], reason: 'not-empty' });
      expect(await db.prisma.model.count()).toBe(1);
    } finally {
      await db.close();
      await drop();
    }
  });
});
