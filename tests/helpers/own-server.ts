/**
 * A `next start` of the built app on its own fresh SQLite database, for tests
 * that need a state the shared servers cannot give (an empty database, a
 * short session lifetime). Uses the build `npm test` made (.next, or
 * LOCKSTEP_DIST_DIR); without one the caller skips.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { prepareDatabase, startServer, ROOT } from '../../scripts/lib/steps.mjs';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { freePort } from '../../scripts/lib/pg-cluster.mjs';

export const hasBuild = () => existsSync(path.join(ROOT as string, process.env.LOCKSTEP_DIST_DIR || '.next', 'BUILD_ID'));

export interface OwnServer {
  url: string;
  stop(): Promise<void>;
}

export async function startOwnServer(env: Record<string, string> = {}): Promise<OwnServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-own-server-'));
  const file = path.join(dir, 'app.db');
  await prepareDatabase({ DATABASE_URL: `file:${file}` }); // migrate + load the examples, as `npm start` does
  const server = await startServer({
    port: await freePort(),
    env: { DATABASE_URL: `file:${file}`, BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), ...env },
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
