import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

export const POST = handle(async (request: Request) => {
  const access = await authorize(request, 'account', { kind: 'app' });
  return access.ok ? api.importModel(request, access) : access.response;
});
