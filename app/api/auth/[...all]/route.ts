import { getAuth } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';

/** better-auth's own endpoints (sign-in, sign-out, session) under /api/auth. */
async function handler(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export const GET = handler;
export const POST = handler;
