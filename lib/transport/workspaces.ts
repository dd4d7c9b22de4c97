/**
 * Workspaces and API tokens over HTTP: what /api/workspaces… and /api/tokens…
 * answer, and what the models, model and tokens pages render. Client
 * components import these; lib/server builds them. Type-only.
 */
import type { Role } from '@/lib/auth/roles';
import type { TokenKind, TokenScope } from '@/lib/auth/tokens';

/** A workspace the signed-in account belongs to, with its role there. */
export interface MyWorkspace {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

/** An API token as its owner (or a workspace admin) sees it: never the secret. */
export interface TokenView {
  id: string;
  name: string;
  /** The first characters, e.g. "lockstep_AbCd", to recognise it. */
  start: string;
  kind: TokenKind;
  workspace: { id: string; name: string } | null;
  scope: TokenScope | null;
  status: 'active' | 'revoked' | 'expired';
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}
