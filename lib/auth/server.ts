/**
 * The one better-auth instance: email + password, sessions in httpOnly
 * SameSite=Lax cookies, workspaces through the organization plugin. It is
 * built lazily because the Prisma client is opened asynchronously (the
 * adapter gets the client of the configured provider, lib/db/client.ts).
 */
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { organization } from 'better-auth/plugins/organization';
import { getDb } from '@/lib/server/db';
import { appOrigin } from '@/lib/server/origin';
import { authSecret } from './secret';
import { ac, roles } from './roles';
import { apiTokensPlugin } from './tokens';
import { ssoPlugins } from './sso';

/** Session lifetime in seconds (LOCKSTEP_SESSION_SECONDS overrides it, e.g. for expiry tests). */
export function sessionSeconds(): number {
  const raw = Number(process.env.LOCKSTEP_SESSION_SECONDS);
  return Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 60 * 60 * 24 * 7;
}

// ─── Plugins ──────────────────────────────────────────────────────────────────
// Every better-auth plugin the app uses, in one list. Add new ones here
// (API tokens, single sign-on, …).
export const authPlugins = [
  organization({
    ac,
    roles,
    creatorRole: 'owner',
    // Invitations are links an admin copies; there is no mail server.
    sendInvitationEmail: async () => {},
    invitationExpiresIn: 60 * 60 * 24 * 7,
    schema: {
      organization: { modelName: 'workspace' },
      member: { modelName: 'member' },
      invitation: { modelName: 'invitation' },
    },
  }),
  // API tokens for builds and CI (lib/auth/tokens.ts).
  apiTokensPlugin(),
  // Single sign-on through OpenID Connect, when LOCKSTEP_OIDC_ISSUER is set (lib/auth/sso.ts).
  ...ssoPlugins(),
] satisfies BetterAuthPlugin[];
// ──────────────────────────────────────────────────────────────────────────────

/**
 * better-auth endpoints the browser may not call directly. Accounts are created
 * only by the first-run setup and by accepting an invitation, and workspaces
 * are managed through /api/workspaces, where lib/server/authorize.ts decides;
 * both call these endpoints server-side (no request object), which passes.
 */
// API tokens are managed through /api/tokens (lib/server/tokens-api.ts): the plugin's
// own endpoints would let a browser re-enable a revoked token or delete its audit row.
const SERVER_ONLY = [/^\/sign-up\//, /^\/organization\//, /^\/api-key\//];

const serverOnly = createAuthMiddleware(async (ctx) => {
  if (ctx.request && SERVER_ONLY.some((pattern) => pattern.test(ctx.path))) {
    throw new APIError('NOT_FOUND', { message: 'not found' });
  }
});

async function createAuth() {
  const db = await getDb();
  const origin = appOrigin();
  const sessionLife = sessionSeconds();
  return betterAuth({
    appName: 'Lockstep',
    baseURL: origin,
    basePath: '/api/auth',
    secret: authSecret(),
    trustedOrigins: [origin],
    database: prismaAdapter(db.prisma, { provider: db.config.provider }),
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 256 },
    session: {
      expiresIn: sessionLife,
      updateAge: Math.min(60 * 60 * 24, Math.floor(sessionLife / 2)),
    },
    advanced: {
      cookiePrefix: 'lockstep',
      useSecureCookies: origin.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    hooks: { before: serverOnly },
    plugins: authPlugins,
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const holder = globalThis as unknown as { __lockstepAuth?: Promise<Auth> };

/** The app's better-auth instance, created once per server process. */
export function getAuth(): Promise<Auth> {
  holder.__lockstepAuth ??= createAuth().catch((error) => {
    holder.__lockstepAuth = undefined;
    throw error;
  });
  return holder.__lockstepAuth;
}
