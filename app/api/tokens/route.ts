import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/tokens-api';

export const dynamic = 'force-dynamic';

const APP = { kind: 'app' } as const;

// Signed-in accounts only: authorize() refuses API tokens here (managing tokens is in no token's scope).
export const GET = handle(async (request: Request) => {
  const access = await authorize(request, 'account', APP);
  return access.ok ? api.listTokens(access) : access.response;
});

export const POST = handle(async (request: Request) => {
  const access = await authorize(request, 'account', APP);
  return access.ok ? api.createToken(request, access) : access.response;
});
