/**
 * API tokens for builds and CI, on better-auth's api-key plugin: it generates
 * the token, stores only its SHA-256 hash, checks expiry and revocation, and
 * stamps the last use on every verification. This file holds the plugin's
 * configuration and the pure rules around it (scopes, the bearer header, the
 * principal a token stands for); lib/auth/bearer.ts verifies a request's
 * token and lib/server/tokens-api.ts manages tokens over HTTP.
 *
 * Two kinds, two plugin configurations:
 * - personal (configId "default", referenceId = the user): acts as its owner,
 *   within the owner's current role in each workspace, capped by its scope;
 * - workspace (configId "workspace", referenceId = the workspace): acts only in
 *   that workspace, with exactly its scope, whoever created it; managed by the
 *   workspace's admins and owners.
 *
 * Scopes: `read` lists models, fetches versions and exports (the generated
 * code endpoints a service's build fetches); `write` also saves versions. No
 * token deletes, runs checks, manages members, or manages tokens.
 */
import { apiKey } from '@better-auth/api-key';

export const TOKEN_PREFIX = 'lockstep_';
/** The plugin's configuration ids. A personal token's is "default": the plugin looks unknown keys up with its default configuration. */
export const PERSONAL_CONFIG = 'default';
export const WORKSPACE_CONFIG = 'workspace';

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export type TokenKind = 'personal' | 'workspace';

/** The model actions (lib/auth/roles.ts `model` statement) each scope allows. */
export const SCOPE_ACTIONS: Record<TokenScope, readonly ('read' | 'write')[]> = {
  read: ['read'],
  write: ['read', 'write'],
};

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** The scope as the plugin's permission statements (stored with the token, server-side only). */
export function scopePermissions(scope: TokenScope): Record<string, string[]> {
  return { model: [...SCOPE_ACTIONS[scope]] };
}

/** The scope stored permissions grant; null when they grant nothing we know (such a token authorises nothing). */
export function scopeFromPermissions(permissions: unknown): TokenScope | null {
  const model = (permissions as { model?: unknown } | null)?.model;
  if (!Array.isArray(model) || !model.includes('read')) return null;
  return model.includes('write') ? 'write' : 'read';
}

const common = {
  defaultPrefix: TOKEN_PREFIX,
  requireName: true,
  maximumNameLength: 100,
  enableMetadata: true,
  // Builds fetch as often as they run. With the per-key limit off, the plugin
  // also stamps `lastRequest` on every verification: that is "last used".
  rateLimit: { enabled: false },
  // Shown in the list so a token can be recognised: "lockstep_AbCd…".
  startingCharactersConfig: { shouldStore: true, charactersLength: TOKEN_PREFIX.length + 4 },
  keyExpiration: { defaultExpiresIn: null, minExpiresIn: 1, maxExpiresIn: 366 },
  // A token must never act as a browser session on better-auth's own
  // endpoints (changing a password, creating more tokens, …).
  enableSessionForAPIKeys: false,
};

/** The api-key plugin as Lockstep configures it; lib/auth/server.ts lists it among its plugins. */
export function apiTokensPlugin() {
  return apiKey(
    [
      { configId: PERSONAL_CONFIG, references: 'user', ...common },
      { configId: WORKSPACE_CONFIG, references: 'organization', ...common },
    ],
    { schema: { apikey: { modelName: 'apiToken' } } },
  );
}

/**
 * The token of an `Authorization: Bearer <token>` header: null when there is
 * no Authorization header, 'malformed' when there is one of another shape.
 */
export function bearerToken(headers: Headers): string | null | 'malformed' {
  const value = headers.get('authorization');
  if (value === null) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9_-]{16,256})[ ]*$/i.exec(value);
  return match ? match[1] : 'malformed';
}

/** Who a verified token acts as. `userId` is the owner (personal) or the creator (workspace), for "every write names its account". */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  tokenName: string;
  tokenKind: TokenKind;
  scope: TokenScope;
  userId: string;
  /** The one workspace a workspace token may act in; null for a personal token. */
  workspaceId: string | null;
}

export interface TokenMetadata {
  createdBy?: string;
  createdByName?: string;
  revokedAt?: string;
  revokedBy?: string;
  revokedByName?: string;
}

export function parseMetadata(raw: unknown): TokenMetadata {
  if (raw && typeof raw === 'object') return raw as TokenMetadata;
  if (typeof raw !== 'string') return {};
  try {
    const value = JSON.parse(raw);
    // The plugin once stored metadata JSON-encoded twice; accept both.
    return typeof value === 'string' ? parseMetadata(value) : value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/** The principal a verified key (as the plugin's verify returns it) stands for; null when it grants nothing. */
export function principalFromKey(key: {
  id: string;
  name: string | null;
  configId?: string | null;
  referenceId: string;
  permissions?: unknown;
  metadata?: unknown;
}): TokenPrincipal | null {
  const scope = scopeFromPermissions(typeof key.permissions === 'string' ? safeJson(key.permissions) : key.permissions);
  if (!scope) return null;
  const workspace = key.configId === WORKSPACE_CONFIG;
  const meta = parseMetadata(key.metadata);
  const userId = workspace ? meta.createdBy : key.referenceId;
  if (!userId) return null;
  return {
    kind: 'token',
    tokenId: key.id,
    tokenName: key.name ?? '',
    tokenKind: workspace ? 'workspace' : 'personal',
    scope,
    userId,
    workspaceId: workspace ? key.referenceId : null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** May this token do `action` on a model in `workspaceId`? (The account's own role is checked separately, for personal tokens.) */
export function tokenAllows(principal: TokenPrincipal, action: string, workspaceId: string | null): boolean {
  if (!(SCOPE_ACTIONS[principal.scope] as readonly string[]).includes(action)) return false;
  return principal.workspaceId === null || principal.workspaceId === workspaceId;
}
