import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string; number: string }> };

export const GET = handle(async (_request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  return api.getVersion(id, number);
});
