/**
 * The secret better-auth signs cookies with: BETTER_AUTH_SECRET, or else one
 * generated on first use and kept in data/auth-secret (mode 0600), so a
 * restart keeps everyone signed in and no secret is ever hard-coded.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function secretFile(cwd = process.cwd()): string {
  return path.join(/* turbopackIgnore: true */ cwd, 'data', 'auth-secret');
}

export function authSecret(env: Record<string, string | undefined> = process.env, file = secretFile()): string {
  const fromEnv = env.BETTER_AUTH_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters');
    return fromEnv;
  }
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': of two processes starting together, one writes and both read its secret.
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
