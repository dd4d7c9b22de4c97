import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/tokens-api';

type Ctx = { params: Promise<{ id: string }> };

/** DELETE /api/tokens/:id: revoke the token; it stays in the audit list. */
export const DELETE = handle(async (request: Request, { params }: Ctx) => {
  const access = await authorize(request, 'account', { kind: 'app' });
  return access.ok ? api.revokeToken((await params).id, access) : access.response;
});
