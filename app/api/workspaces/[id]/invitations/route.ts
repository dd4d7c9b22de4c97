import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/workspaces-api';

type Ctx = { params: Promise<{ id: string }> };

export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'workspace:manage-members', { kind: 'workspace', id });
  return access.ok ? api.createInvitation(request, id, access) : access.response;
});
