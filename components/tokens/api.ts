/** The browser side of /api/tokens (lib/server/tokens-api.ts). */
import type { TokenView } from '@/lib/transport/workspaces';

export type { TokenView };

export interface ApiProblem {
  error: string;
  issues: { path: string; message: string }[];
}

export type Reply<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

async function call<T>(path: string, init: RequestInit = {}): Promise<Reply<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  } catch {
    return { ok: false, problem: { error: 'the server did not answer', issues: [] } };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body as T };
  return { ok: false, problem: { error: body?.error ?? `the server answered ${response.status}`, issues: body?.issues ?? [] } };
}

export const listTokens = () => call<{ tokens: TokenView[]; workspaces: { id: string; name: string }[] }>('/api/tokens');

export const createToken = (input: { name: string; scope: 'read' | 'write'; workspaceId?: string; expiresInDays?: number }) =>
  call<{ token: TokenView; secret: string }>('/api/tokens', { method: 'POST', body: JSON.stringify(input) });

export const revokeToken = (id: string) => call<{ token: TokenView }>(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE', headers: {} });
