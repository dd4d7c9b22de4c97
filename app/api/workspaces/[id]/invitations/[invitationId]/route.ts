import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/workspaces-api';

type Ctx = { params: Promise<{ id: string; invitationId: string }> };

export const DELETE = handle(async (request: Request, { params }: Ctx) => {
  const { id, invitationId } = await params;
  const access = await authorize(request, 'workspace:manage-members', { kind: 'workspace', id });
  return access.ok ? api.cancelInvitation(request, id, invitationId) : access.response;
});
