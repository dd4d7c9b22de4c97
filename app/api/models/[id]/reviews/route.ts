import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/reviews-api';
import { authorize } from '@/lib/server/authorize';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.listReviews(id);
});

export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.openReview(request, id, access);
});
