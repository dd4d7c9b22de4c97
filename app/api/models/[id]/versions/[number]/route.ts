import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string; number: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? api.getVersion(id, number) : access.response;
});
