/**
 * A verification job survives the server: runs posted to an instance that is
 * killed (SIGKILL, no clean shutdown) before its job ran are verified by the
 * next instance started on the same database — the forged PASS refuted, the
 * genuine one verified. Uses the build `npm test` made; skips without one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { prepareDatabase, startServer } from '../../scripts/lib/steps.mjs';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { freePort } from '../../scripts/lib/pg-cluster.mjs';
import { hasBuild } from '../helpers/own-server';
import { apiSession } from '../helpers/api-session';
import { postedRun } from '../helpers/posted-run';

const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));


const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-restart-'));
const database = `file:${path.join(dir, 'app.db')}`;
const secret = randomBytes(32).toString('base64url');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(env: Record<string, string>) {
  return startServer({ port: await freePort(), env: { DATABASE_URL: database, BETTER_AUTH_SECRET: secret, ...env } });
}

describe.skipIf(!hasBuild())('verification jobs across a server restart', () => {
  it('runs reported to a killed instance are verified by the next one', async () => {
    await prepareDatabase({ DATABASE_URL: database });
    // First instance: runs no jobs, so both runs are still queued when it dies.
    const first = await serve({ LOCKSTEP_JOBS: 'off' });
    const session = await apiSession(first.url);
    const call = async (base: string, url: string, init: RequestInit = {}) => {
      const headers = base === first.url ? session.headers : (await apiSession(base)).headers;
      const r = await fetch(base + url, { ...init, headers: { 'content-type': 'application/json', ...headers } });
      return { status: r.status, body: await r.json() };
    };
    const created = await call(first.url, '/api/models', { method: 'POST', body: JSON.stringify({ document: example }) });
    expect(created.status).toBe(201);
    const id = created.body.model.id;
    const genuine = postedRun(example, 'naive-delete-vs-snapshot');
    const forged = { ...genuine, verdict: 'pass', violation: null, moves: [] };
    const posted = [];
    for (const run of [genuine, forged]) {
      const r = await call(first.url, `/api/models/${id}/versions/1/runs`, { method: 'POST', body: JSON.stringify(run) });
      expect(r.status).toBe(201);
      expect(r.body.run.verification.status).toBe('reported');
      posted.push(r.body.run.id);
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await serve({});
    try {
      const settled = async (runId: string) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const r = await call(second.url, `/api/models/${id}/versions/1/runs/${runId}`);
          expect(r.status).toBe(200);
          if (r.body.run.verification.status !== 'reported' || Date.now() > deadline) return r.body.run.verification;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      };
      expect(await settled(posted[0])).toMatchObject({ status: 'verified' });
      expect(await settled(posted[1])).toMatchObject({ status: 'refuted', server: { verdict: 'violation' } });
    } finally {
      await second.stop();
    }
  }, 180_000);
});
