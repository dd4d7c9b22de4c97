import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';

type Ctx = { params: Promise<{ id: string; number: string }> };

export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  return api.recordRun(request, id, number);
});
