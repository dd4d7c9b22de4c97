import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authSecret } from '@/lib/auth/secret';

describe('the session-signing secret', () => {
  it('uses BETTER_AUTH_SECRET, and refuses a short one', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'secret-')), 'data', 'auth-secret');
    expect(authSecret({ BETTER_AUTH_SECRET: 'k'.repeat(40) }, file)).toBe('k'.repeat(40));
    expect(() => authSecret({ BETTER_AUTH_SECRET: 'short' }, file)).toThrow(/at least 32 characters/);
  });

  it('without one, generates a random secret once, keeps it in a private file and reuses it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'secret-')), 'data', 'auth-secret');
    const first = authSecret({}, file);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authSecret({}, file)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    const other = path.join(mkdtempSync(path.join(os.tmpdir(), 'secret-')), 'auth-secret');
    expect(authSecret({}, other)).not.toBe(first);
  });
});
