import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';
import { authorize } from '@/lib/server/authorize';

type Ctx = { params: Promise<{ id: string; number: string; runId: string }> };

// A stored run and whether the server has verified it (the check page polls this).
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number, runId } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.getRun(id, number, runId);
});
