/**
 * Runs before every request (Next 16's "proxy", formerly middleware): the
 * request guard of lib/server/request-guard.ts — the configured Host only,
 * no cross-origin writes, JSON writes to the API. No matcher: pages, API
 * routes, better-auth and static files all pass through it.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { guardRequest } from '@/lib/server/request-guard';
import { appOrigin, OriginConfigError } from '@/lib/server/origin';

function refuse(pathname: string, status: number, error: string, issues: Array<{ path: string; message: string }> = []): NextResponse {
  const headers = { 'cache-control': 'no-store' };
  if (pathname === '/api' || pathname.startsWith('/api/')) return NextResponse.json({ error, issues }, { status, headers });
  return new NextResponse(`${error}\n`, { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  let origin: string;
  try {
    origin = appOrigin();
  } catch (error) {
    if (!(error instanceof OriginConfigError)) throw error;
    return refuse(pathname, 500, `Lockstep is misconfigured: ${error.message}`);
  }
  const verdict = guardRequest({ method: request.method, pathname, headers: request.headers }, origin);
  if (verdict.ok) return NextResponse.next();
  // A malformed URL is bad input like a malformed body: name where it is wrong.
  const issues = verdict.reason === 'path' ? [{ path: 'url', message: verdict.error }] : [];
  return refuse(pathname, verdict.status, verdict.error, issues);
}
