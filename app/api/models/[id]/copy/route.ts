import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

/** POST /api/models/:id/copy: "Use as template" (reading the source is enough; the target workspace is checked from the body). */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? api.copyModel(request, id, access) : access.response;
});
