/**
 * Who is making a request: the signed-in account behind the session cookie,
 * or nobody. (API tokens, when configured, resolve to an account here too.)
 */
import { getAuth } from './server';
import { hasBearer, resolveTokenActor } from './bearer';
import type { TokenPrincipal } from './tokens';

export interface Actor {
  userId: string;
  name: string;
  email: string;
  /** Set when the request is authenticated by an API token (lib/auth/bearer.ts): its scope caps what the account may do. */
  token?: TokenPrincipal;
}

export async function resolveActor(headers: Headers): Promise<Actor | null> {
  // A request carrying `Authorization: Bearer` is judged by its token alone, never by a cookie beside it.
  if (hasBearer(headers)) return resolveTokenActor(headers);
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  return { userId: session.user.id, name: session.user.name, email: session.user.email };
}
