/**
 * Concurrency, for real: a small service imports the generated guards of the
 * share example; 16 worker threads race delete against create-snapshot on one
 * share, 200 rounds, on a real SQLite file and a real PostgreSQL. With the
 * guards (the transaction guard, or Cinder's conditional update as one
 * UPDATE): never a snapshot of a deleted share, never two deletes at the
 * driver (exactly one when only deletes race). The naive code path, on the same
 * harness, shows the violations — so this test can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshConfig, providers } from '../helpers/db';
import { filesOf, generateExample, tempProject, tsc, withRuntime } from './helpers';
import { SERVICE_SOURCE, WORKER_SOURCE } from './share-service';

const WORKERS = 16;
const ROUNDS = 200;
const SHARE = 'share-1';

type Kind = 'sqlite' | 'postgres';
interface Service {
  openDb(kind: Kind, url: string): Db;
  createSchema(db: Db, kind: Kind): Promise<void>;
}
interface Db {
  query(sql: string, params?: Array<string | number>): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

let project: { dir: string; remove(): void };
let service: Service;

beforeAll(async () => {
  const files = filesOf(generateExample('share-delete-vs-snapshot.json'));
  project = tempProject(
    'race',
    { ...withRuntime(files, 'guards.ts'), 'service.ts': SERVICE_SOURCE },
    { noEmit: false, types: ['node'], lib: ['ES2022'], declaration: false },
  );
  const compiled = await tsc(project.dir);
  expect(compiled.output).toBe('');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(project.dir, 'worker.js'), WORKER_SOURCE);
  service = (await import(pathToFileURL(path.join(project.dir, 'service.js')).href)) as Service;
}, 120_000);

afterAll(() => project?.remove());

interface RoundStats {
  deletesAtDriver: number;
  snapshotsAtDriver: number;
  liveSnapshots: number;
  shareStatus: string;
}

async function stats(db: Db): Promise<RoundStats> {
  const log = await db.query('SELECT kind, COUNT(*) AS n FROM driver_log GROUP BY kind');
  const n = (kind: string) => Number(log.find((r) => r.kind === kind)?.n ?? 0);
  const live = await db.query("SELECT COUNT(*) AS n FROM snapshot WHERE share_id = $1 AND status IN ('creating', 'available')", [SHARE]);
  const [share] = await db.query('SELECT status FROM share WHERE id = $1', [SHARE]);
  return { deletesAtDriver: n('delete_share'), snapshotsAtDriver: n('create_snapshot'), liveSnapshots: Number(live[0]?.n ?? 0), shareStatus: String(share?.status) };
}

/** Runs rounds of the race; odd rounds race deletes only, even rounds 8 deletes against 8 snapshots. */
async function race(kind: Kind, url: string, codePath: 'fixed' | 'naive' | 'conditional', rounds: number, stopEarly = false) {
  const admin = service.openDb(kind, url);
  const workers = Array.from({ length: WORKERS }, () => new Worker(path.join(project.dir, 'worker.js'), { workerData: { kind, url } }));
  const inbox = workers.map(() => [] as Array<(msg: { outcome?: string; error?: string }) => void>);
  await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.on('message', (msg) => (msg.ready ? resolve() : inbox[i]!.shift()?.(msg)));
        }),
    ),
  );
  const results = { rounds: 0, snapshotOfDeletedShare: 0, doubleDeletes: 0, deleteWon: 0, snapshotWon: 0, soloDeleteRounds: 0, errors: [] as string[], perRound: [] as RoundStats[] };
  try {
    for (let round = 0; round < rounds; round++) {
      await admin.query('DELETE FROM driver_log');
      await admin.query("UPDATE snapshot SET status = 'absent'");
      await admin.query("UPDATE share SET status = 'available'");
      const deletesOnly = round % 2 === 1;
      const done = workers.map((w, i) => {
        const op = deletesOnly || i % 2 === 0 ? 'delete' : 'snapshot';
        const reply = new Promise<{ outcome?: string; error?: string }>((resolve) => inbox[i]!.push(resolve));
        w.postMessage({ round, path: codePath, op, share: SHARE, snap: `snap-${i}` });
        return reply;
      });
      const replies = await Promise.all(done);
      for (const r of replies) if (r.error) results.errors.push(r.error);
      const s = await stats(admin);
      results.perRound.push(s);
      results.rounds++;
      if (s.deletesAtDriver > 0 && (s.liveSnapshots > 0 || s.snapshotsAtDriver > 0)) results.snapshotOfDeletedShare++;
      if (s.deletesAtDriver > 1) results.doubleDeletes++;
      if (deletesOnly) {
        results.soloDeleteRounds++;
      } else if (s.deletesAtDriver > 0) results.deleteWon++;
      else if (s.snapshotsAtDriver > 0) results.snapshotWon++;
      if (stopEarly && results.snapshotOfDeletedShare > 0 && results.doubleDeletes > 0) break;
    }
  } finally {
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.once('exit', resolve), w.postMessage({ type: 'stop' })))));
    await admin.close();
  }
  return results;
}

const kinds: Kind[] = providers.map((p) => (p === 'sqlite' ? 'sqlite' : 'postgres'));

describe.each(kinds)('share example on %s: 16 workers race delete against create-snapshot', (kind) => {
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshConfig(kind === 'sqlite' ? 'sqlite' : 'postgresql');
    url = fresh.config.provider === 'sqlite' ? fresh.config.file : fresh.config.url;
    drop = fresh.drop;
    const db = service.openDb(kind, url);
    await service.createSchema(db, kind);
    await db.query("INSERT INTO share (id, status) VALUES ($1, 'available')", [SHARE]);
    for (let i = 0; i < WORKERS; i++) await db.query("INSERT INTO snapshot (id, status, share_id) VALUES ($1, 'absent', $2)", [`snap-${i}`, SHARE]);
    await db.close();
  }, 60_000);

  afterAll(async () => drop?.());

  it('with the generated guards: no snapshot of a deleted share, one delete at the driver', async () => {
    const r = await race(kind, url, 'fixed', ROUNDS);
    expect(r.errors).toEqual([]);
    expect(r.rounds).toBe(ROUNDS);
    expect(r.snapshotOfDeletedShare).toBe(0);
    expect(r.doubleDeletes).toBe(0);
    // Deletes-only rounds: exactly one delete reaches the driver, and the share ends deleted.
    const solo = r.perRound.filter((_, i) => i % 2 === 1);
    expect(solo.map((s) => s.deletesAtDriver)).toEqual(solo.map(() => 1));
    expect(solo.every((s) => s.shareStatus === 'deleted')).toBe(true);
    // Mixed rounds: exactly one side got through, and the share ends where that side leaves it.
    const mixed = r.perRound.filter((_, i) => i % 2 === 0);
    for (const s of mixed) {
      expect(s.deletesAtDriver + (s.snapshotsAtDriver > 0 ? 1 : 0)).toBe(1);
      expect(s.shareStatus).toBe(s.deletesAtDriver === 1 ? 'deleted' : 'available');
    }
    console.log(`${kind} fixed: ${r.rounds} rounds; mixed rounds won by delete ${r.deleteWon}, by snapshots ${r.snapshotWon}`);
  }, 600_000);

  it("with the generated conditional update (Cinder's delete): the same guarantees", async () => {
    const r = await race(kind, url, 'conditional', ROUNDS);
    expect(r.errors).toEqual([]);
    expect(r.snapshotOfDeletedShare).toBe(0);
    expect(r.doubleDeletes).toBe(0);
    const solo = r.perRound.filter((_, i) => i % 2 === 1);
    expect(solo.map((s) => s.deletesAtDriver)).toEqual(solo.map(() => 1));
    const mixed = r.perRound.filter((_, i) => i % 2 === 0);
    for (const s of mixed) expect(s.deletesAtDriver + (s.snapshotsAtDriver > 0 ? 1 : 0)).toBe(1);
    console.log(`${kind} conditional update: ${r.rounds} rounds; mixed rounds won by delete ${r.deleteWon}, by snapshots ${r.snapshotWon}`);
  }, 600_000);

  it('the naive code path on the same harness shows both races', async () => {
    const r = await race(kind, url, 'naive', ROUNDS, true);
    expect(r.errors).toEqual([]);
    expect(r.doubleDeletes).toBeGreaterThan(0);
    expect(r.snapshotOfDeletedShare).toBeGreaterThan(0);
    console.log(`${kind} naive: violations within ${r.rounds} rounds (double deletes ${r.doubleDeletes}, snapshot of deleted share ${r.snapshotOfDeletedShare})`);
  }, 600_000);
});
