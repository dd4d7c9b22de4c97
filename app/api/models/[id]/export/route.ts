import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? api.exportModel(request, id) : access.response;
});
