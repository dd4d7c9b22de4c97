/**
 * What the database holds for an API token, on both databases: the api-key
 * plugin as lib/auth/tokens.ts configures it, over the app's Prisma schema and
 * migrations. Only the SHA-256 hash of the token is stored; verification
 * stamps the last use; a disabled (revoked) row no longer verifies.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { apiTokensPlugin, principalFromKey, scopePermissions } from '@/lib/auth/tokens';
import { freshDb, providers, type TestDb } from '../helpers/db';

function authOn(db: TestDb) {
  return betterAuth({
    baseURL: 'http://127.0.0.1:9',
    secret: 'a-test-secret-that-is-long-enough-0123456789',
    database: prismaAdapter(db.prisma, { provider: db.config.provider }),
    emailAndPassword: { enabled: true },
    plugins: [apiTokensPlugin()],
    logger: { disabled: true },
  });
}

describe.each(providers)('API token storage on %s', (provider) => {
  let db: TestDb;
  let auth: ReturnType<typeof authOn>;
  let userId: string;

  beforeAll(async () => {
    db = await freshDb(provider);
    auth = authOn(db);
    userId = (await auth.api.signUpEmail({ body: { name: 'Ada', email: 'ada@lockstep.test', password: 'a-long-password-1' } })).user.id;
  });
  afterAll(async () => db?.cleanup());

  it('stores only the hash of the token, never its plaintext', async () => {
    const created = await auth.api.createApiKey({ body: { name: 'ci', userId, permissions: scopePermissions('read'), metadata: { createdBy: userId } } });
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.key).toBe(createHash('sha256').update(created.key).digest('base64url'));
    for (const value of Object.values(row)) if (typeof value === 'string') expect(value.includes(created.key.slice(9))).toBe(false);
    expect(row.start).toBe(created.key.slice(0, 13));
    expect(JSON.parse(row.permissions!)).toEqual({ model: ['read'] });
  });

  it('verifies a token into its principal and stamps its last use; a revoked one no longer verifies', async () => {
    const created = await auth.api.createApiKey({ body: { name: 'build', userId, permissions: scopePermissions('write'), metadata: { createdBy: userId } } });
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastRequest).toBeNull();
    const verified = await auth.api.verifyApiKey({ body: { key: created.key } });
    expect(verified.valid).toBe(true);
    expect(principalFromKey(verified.key!)).toMatchObject({ tokenKind: 'personal', scope: 'write', userId, workspaceId: null, tokenName: 'build' });
    const stamped = (await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastRequest;
    expect(stamped).toBeInstanceOf(Date);

    await db.prisma.apiToken.update({ where: { id: created.id }, data: { enabled: false } });
    const refused = await auth.api.verifyApiKey({ body: { key: created.key } });
    expect(refused).toMatchObject({ valid: false, key: null });
  });

  it('refuses a scope asked for from a browser request (permissions are server-only)', async () => {
    await expect(
      auth.api.createApiKey({ body: { name: 'sneaky', permissions: scopePermissions('write') }, headers: new Headers({ origin: 'http://127.0.0.1:9' }) }),
    ).rejects.toMatchObject({ body: { code: 'SERVER_ONLY_PROPERTY' } });
  });
});
