import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/workspaces-api';

type Ctx = { params: Promise<{ id: string; memberId: string }> };

export const PATCH = handle(async (request: Request, { params }: Ctx) => {
  const { id, memberId } = await params;
  const access = await authorize(request, 'workspace:manage-members', { kind: 'workspace', id });
  return access.ok ? api.updateMember(request, id, memberId, access) : access.response;
});

export const DELETE = handle(async (request: Request, { params }: Ctx) => {
  const { id, memberId } = await params;
  const access = await authorize(request, 'workspace:manage-members', { kind: 'workspace', id });
  return access.ok ? api.removeMember(request, id, memberId, access) : access.response;
});
