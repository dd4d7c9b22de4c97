import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/workspaces-api';

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'workspace:delete', { kind: 'workspace', id });
  return access.ok ? api.deleteWorkspace(request, id) : access.response;
});
