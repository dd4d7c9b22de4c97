/**
 * HTTP helpers shared by the route handlers: JSON responses, the error shape
 * `{ error, issues: [{ path, message }] }`, and a body reader that enforces
 * the size limit while reading (Content-Length is checked too, but never
 * trusted alone: a chunked body has none, and a client can lie).
 *
 * Text that one database could store and the other could not (U+0000, lone
 * surrogates) is refused here, for every body and query string, so both
 * databases accept exactly the same documents (lib/server/text-rule.ts).
 */
import type { z } from 'zod';
import { formatPath } from '@/lib/model';
import { mayHoldUnstorableText, textIssues, unstorableText } from './text-rule';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper JSON than this is refused before validation (recursive validators and JSONB have depth limits). */
export const MAX_JSON_DEPTH = 100;

/** Nesting depth of a parsed JSON value, measured without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

export interface ApiIssue {
  path: string;
  message: string;
  code?: string;
  column?: number;
}

/** A zod error as API issues, each naming its path. */
export function zodIssues(error: z.ZodError): ApiIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function apiError(status: number, error: string, issues: ApiIssue[] = [], extra: Record<string, unknown> = {}): Response {
  return json({ error, issues, ...extra }, status);
}

export const notFound = (what: string) => apiError(404, `${what} not found`);

export type BodyResult = { ok: true; value: unknown; text: string } | { ok: false; response: Response };

const tooLarge = () => apiError(413, `request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);

/** Reads at most `limit` bytes of the body and parses it as JSON. */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return { ok: false, response: tooLarge() };
  if (!request.body) return { ok: false, response: apiError(400, 'request body is empty', [{ path: '', message: 'expected a JSON body' }]) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, response: tooLarge() };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, response: apiError(400, 'could not read the request body') };
  }

  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: apiError(400, 'request body is not valid UTF-8', [{ path: '', message: 'not valid UTF-8' }]) };
  }
  if (text.trim() === '') return { ok: false, response: apiError(400, 'request body is empty', [{ path: '', message: 'expected a JSON body' }]) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, response: apiError(400, 'malformed JSON', [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]) };
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    return { ok: false, response: apiError(400, 'JSON nested too deeply', [{ path: '', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]) };
  }
  if (mayHoldUnstorableText(text)) {
    const issues = textIssues(value);
    if (issues.length > 0) return { ok: false, response: apiError(400, 'the request holds text that cannot be stored', issues) };
  }
  return { ok: true, value, text };
}

/** Wraps a handler so an unexpected error is logged and answered with 500, never an unhandled crash. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      const refused = args[0] instanceof Request ? refuseUnstorableQuery(args[0]) : null;
      if (refused) return refused;
      return await fn(...args);
    } catch (error) {
      console.error('lockstep: request failed', error);
      return apiError(500, 'internal error');
    }
  };
}

/** A query parameter (`?author=%00`) is text that may be stored too: the same rule as for bodies. */
function refuseUnstorableQuery(request: Request): Response | null {
  let params: URLSearchParams;
  try {
    params = new URL(request.url).searchParams;
  } catch {
    return null;
  }
  const issues: ApiIssue[] = [];
  for (const [key, value] of params) {
    const problem = unstorableText(key) ?? unstorableText(value);
    if (problem) issues.push({ path: `?${JSON.stringify(key).slice(1, -1)}`, message: problem, code: 'text' });
  }
  return issues.length > 0 ? apiError(400, 'the query string holds text that cannot be stored', issues) : null;
}
