import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/reviews-api';
import { authorize } from '@/lib/server/authorize';

type Ctx = { params: Promise<{ id: string; number: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.getReview(id, number, access);
});

export const PATCH = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.updateReview(request, id, number, access);
});
