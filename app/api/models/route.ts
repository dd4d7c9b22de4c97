import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/models-api';

export const dynamic = 'force-dynamic';

const APP = { kind: 'app' } as const;

export const GET = handle(async (request: Request) => {
  const access = await authorize(request, 'account', APP);
  return access.ok ? api.listModels(request, access) : access.response;
});

export const POST = handle(async (request: Request) => {
  const access = await authorize(request, 'account', APP);
  return access.ok ? api.createModel(request, access) : access.response;
});
