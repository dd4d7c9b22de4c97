/** Calls a better-auth server API and turns its errors into the app's error shape. */
import { isAPIError } from 'better-auth/api';
import { apiError } from '@/lib/server/http';

export type AuthCall<T> = { ok: true; value: T } | { ok: false; response: Response };

export async function callAuth<T>(fn: () => Promise<T>): Promise<AuthCall<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (isAPIError(error)) {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
      const message = (error.body as { message?: string } | undefined)?.message ?? error.message ?? 'request refused';
      return { ok: false, response: apiError(status >= 500 ? 500 : status, message) };
    }
    throw error;
  }
}

/** The session cookie(s) a better-auth response set, as a `cookie` request header value. */
export function cookieHeaderFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Copies a better-auth response's Set-Cookie headers onto ours (signs the browser in). */
export function withCookies(target: Response, from: Response): Response {
  for (const cookie of from.headers.getSetCookie()) target.headers.append('set-cookie', cookie);
  return target;
}
