import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';
import { authorize, authorOf } from '@/lib/server/authorize';

type Ctx = { params: Promise<{ id: string; number: string }> };

export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:run', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.recordRun(request, id, number, authorOf(access).author);
});

// The version's stored runs, newest first (the check page lists and reopens them).
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.listRuns(request, id, number);
});
