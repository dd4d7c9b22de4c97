/**
 * Single sign-on through OpenID Connect, switched on by configuration:
 *
 *   LOCKSTEP_OIDC_ISSUER         the provider's issuer URL (its discovery
 *                                document is <issuer>/.well-known/openid-configuration)
 *   LOCKSTEP_OIDC_CLIENT_ID      the client registered for Lockstep at the provider
 *   LOCKSTEP_OIDC_CLIENT_SECRET  its secret
 *   LOCKSTEP_OIDC_NAME           the button's label: "Sign in with <name>" (default "SSO")
 *   LOCKSTEP_OIDC_DEFAULT_ROLE   optional: viewer or editor; a new SSO account
 *                                joins LOCKSTEP_OIDC_DEFAULT_WORKSPACE (a workspace
 *                                id, as in /workspaces/<id>, or its slug) with that
 *                                role. Unset: a new SSO account belongs to no
 *                                workspace until it is invited.
 *   LOCKSTEP_OIDC_TOKEN_AUTH     optional: basic (default, OIDC's default
 *                                client_secret_basic) or post (client_secret_post)
 *
 * The redirect URI to register at the provider is
 * <LOCKSTEP_ORIGIN>/api/auth/callback/oidc. With LOCKSTEP_OIDC_ISSUER unset
 * there is no plugin and no button. It runs on better-auth's genericOAuth
 * plugin: discovery, authorization code with PKCE (S256) and a nonce, the ID
 * token checked against the provider's JWKS, the profile from the userinfo
 * endpoint when the ID token carries no email.
 *
 * Nothing here talks to the network at import; the policy plugin below reads
 * the database through better-auth's own adapter.
 */
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';

export const SSO_PROVIDER_ID = 'oidc';

/** The environment (or any map of its variables, for tests). */
type Env = Record<string, string | undefined>;
export const SSO_DEFAULT_ROLES = ['viewer', 'editor'] as const;
export type SsoDefaultRole = (typeof SSO_DEFAULT_ROLES)[number];

export interface SsoConfig {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  name: string;
  authentication: 'basic' | 'post';
  /** Where a first-time SSO account lands; null: nowhere until invited. */
  defaultMembership: { role: SsoDefaultRole; workspace: string } | null;
}

export class SsoConfigError extends Error {}

/** The SSO configuration from the environment; null when LOCKSTEP_OIDC_ISSUER is unset. Throws SsoConfigError naming the variable when it is half set. */
export function readSsoConfig(env: Env = process.env): SsoConfig | null {
  const issuerRaw = env.LOCKSTEP_OIDC_ISSUER?.trim();
  if (!issuerRaw) return null;
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuerRaw);
  } catch {
    throw new SsoConfigError(`LOCKSTEP_OIDC_ISSUER=${issuerRaw} is not a URL; expected e.g. https://idp.example.com/realms/team`);
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:') throw new SsoConfigError(`LOCKSTEP_OIDC_ISSUER=${issuerRaw} must start with https:// (or http:// on a trusted network)`);
  const clientId = env.LOCKSTEP_OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new SsoConfigError('LOCKSTEP_OIDC_ISSUER is set but LOCKSTEP_OIDC_CLIENT_ID is not');
  const clientSecret = env.LOCKSTEP_OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret) throw new SsoConfigError('LOCKSTEP_OIDC_ISSUER is set but LOCKSTEP_OIDC_CLIENT_SECRET is not');
  const auth = (env.LOCKSTEP_OIDC_TOKEN_AUTH?.trim() || 'basic').toLowerCase();
  if (auth !== 'basic' && auth !== 'post') throw new SsoConfigError(`LOCKSTEP_OIDC_TOKEN_AUTH=${auth} must be basic or post`);

  let defaultMembership: SsoConfig['defaultMembership'] = null;
  const role = env.LOCKSTEP_OIDC_DEFAULT_ROLE?.trim();
  if (role) {
    if (!(SSO_DEFAULT_ROLES as readonly string[]).includes(role)) {
      throw new SsoConfigError(`LOCKSTEP_OIDC_DEFAULT_ROLE=${role} must be viewer or editor (admins are appointed, not defaulted)`);
    }
    const workspace = env.LOCKSTEP_OIDC_DEFAULT_WORKSPACE?.trim();
    if (!workspace) throw new SsoConfigError('LOCKSTEP_OIDC_DEFAULT_ROLE is set but LOCKSTEP_OIDC_DEFAULT_WORKSPACE (a workspace id or slug) is not');
    defaultMembership = { role: role as SsoDefaultRole, workspace };
  }

  const issuer = issuerRaw.replace(/\/+$/, '');
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    name: env.LOCKSTEP_OIDC_NAME?.trim() || 'SSO',
    authentication: auth,
    defaultMembership,
  };
}

/**
 * Lockstep's rules around SSO sign-in, as a better-auth plugin:
 * - no SSO sign-in before the first-run setup has created the administrator
 *   (else the first SSO account would close /setup with nobody in charge);
 * - with LOCKSTEP_OIDC_DEFAULT_ROLE, an account signing in through SSO for the
 *   first time that belongs to no workspace joins the default workspace with
 *   that role; without it, it waits for an invitation.
 */
function ssoPolicy(config: SsoConfig): BetterAuthPlugin {
  return {
    id: 'lockstep-sso-policy',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/sign-in/social',
          handler: createAuthMiddleware(async (ctx) => {
            if ((await ctx.context.adapter.count({ model: 'user' })) === 0) {
              throw new APIError('FORBIDDEN', { message: 'Lockstep has no administrator yet: finish the first-run setup at /setup, then sign in with SSO' });
            }
          }),
        },
      ],
    },
    init: () => ({
      options: {
        databaseHooks: {
          account: {
            create: {
              async after(account, ctx) {
                const membership = config.defaultMembership;
                if (!membership || account.providerId !== SSO_PROVIDER_ID || !ctx) return;
                const adapter = ctx.context.adapter;
                if ((await adapter.count({ model: 'member', where: [{ field: 'userId', value: account.userId }] })) > 0) return;
                const workspace =
                  (await adapter.findOne<{ id: string }>({ model: 'organization', where: [{ field: 'id', value: membership.workspace }] })) ??
                  (await adapter.findOne<{ id: string }>({ model: 'organization', where: [{ field: 'slug', value: membership.workspace }] }));
                if (!workspace) {
                  ctx.context.logger.error(`LOCKSTEP_OIDC_DEFAULT_WORKSPACE=${membership.workspace}: no workspace has that id or slug; the new SSO account joins none`);
                  return;
                }
                await adapter.create({ model: 'member', data: { organizationId: workspace.id, userId: account.userId, role: membership.role, createdAt: new Date() } });
              },
            },
          },
        },
      },
    }),
  };
}

/** The better-auth plugins for SSO: none when it is not configured. */
export function ssoPlugins(env: Env = process.env) {
  const config = readSsoConfig(env);
  if (!config) return [];
  return [
    ssoPolicy(config),
    genericOAuth({
      config: [
        {
          providerId: SSO_PROVIDER_ID,
          name: config.name,
          discoveryUrl: config.discoveryUrl,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          authentication: config.authentication,
          scopes: ['openid', 'email', 'profile'],
          pkce: true,
          // The ID token must verify against the provider's keys, with its nonce.
          requireIdTokenVerification: true,
          // An SSO sign-in with an address that already has a password account
          // is linked to it only when the provider says the address is verified
          // (better-auth's rule for untrusted providers).
        },
      ],
    }),
  ];
}

/** What the sign-in page needs to draw the SSO button: null when SSO is off. */
export function ssoButton(env: Env = process.env): { providerId: string; label: string } | null {
  const config = readSsoConfig(env);
  return config ? { providerId: SSO_PROVIDER_ID, label: `Sign in with ${config.name}` } : null;
}
