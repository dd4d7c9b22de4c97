import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/reviews-api';
import { authorize } from '@/lib/server/authorize';

type Ctx = { params: Promise<{ id: string; number: string }> };

/** Check the review's versions again, after the server's check failed. */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:run', { kind: 'model', id });
  if (!access.ok) return access.response;
  return api.retryVerdicts(id, number);
});
