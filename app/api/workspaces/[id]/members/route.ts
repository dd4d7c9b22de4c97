import { handle } from '@/lib/server/http';
import { authorize, roleAllows } from '@/lib/server/authorize';
import * as api from '@/lib/server/workspaces-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'workspace:read', { kind: 'workspace', id });
  if (!access.ok) return access.response;
  return api.listMembers(id, access, access.role !== null && roleAllows(access.role, 'workspace:manage-members'));
});
