import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? api.listVersions(id) : access.response;
});

export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  return access.ok ? api.saveVersion(request, id, access) : access.response;
});
