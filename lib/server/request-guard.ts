/**
 * The request guard: which requests the app answers at all. Pure (headers in,
 * verdict out) so proxy.ts applies it to every request and a unit test
 * covers every branch without a server.
 *
 * 1. Host (DNS rebinding): the Host header must name the configured origin's
 *    host, for pages and API alike. A page on attacker.example whose DNS
 *    later points at 127.0.0.1 is same-origin to itself in the browser, so
 *    neither CORS nor the Origin check sees anything wrong; only the Host it
 *    sends (attacker.example) gives it away. Only the Host header is read:
 *    X-Forwarded-Host is set by whoever sends the request.
 * 2. Cross-origin writes (CSRF): the algorithm of Go 1.25's
 *    net/http.CrossOriginProtection (golang/go src/net/http/csrf.go), with
 *    the Origin fallback compared to the configured origin (scheme
 *    included) rather than to Host.
 * 3. Media type: a write to /api/** must be application/json. A browser can
 *    send text/plain, urlencoded or multipart across origins without a
 *    preflight (a form post, a no-cors fetch); it cannot send
 *    application/json without one, which we never grant.
 */

export interface GuardRequest {
  method: string;
  /** The URL path, e.g. /api/models. */
  pathname: string;
  headers: { get(name: string): string | null };
}

export type GuardVerdict =
  | { ok: true }
  | { ok: false; status: 400 | 403 | 415 | 421; reason: 'path' | 'host' | 'cross-origin' | 'media-type'; error: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Readiness probes from a load balancer name the instance's address, not the public host; the answer (`{ ok, provider }`) leaks nothing. */
const HOST_EXEMPT_READS = new Set(['/api/health']);

/**
 * better-auth's OAuth callbacks: an identity provider using
 * `response_mode=form_post` posts there from its own origin, by design. The
 * endpoint only turns the post into a GET redirect to itself, and the
 * exchange is bound to this browser by the state cookie better-auth checks.
 */
const CROSS_ORIGIN_EXEMPT = [/^\/api\/auth\/callback\//, /^\/api\/auth\/oauth2\/callback\//, /^\/api\/auth\/sso\/callback\//];

/** `host[:port]` as URL normalises it (lower case, default port dropped); null when it is not a valid authority. */
export function normaliseHost(host: string, protocol: string): string | null {
  if (!host || /[\s/?#@\\]/.test(host)) return null;
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

function isApi(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

function hasBody(headers: GuardRequest['headers']): boolean {
  const length = headers.get('content-length');
  return headers.get('transfer-encoding') !== null || (length !== null && length.trim() !== '0');
}

/** `application/json`, parameters (charset) allowed. */
export function isJsonMediaType(contentType: string | null): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

export function checkHost(request: GuardRequest, origin: string): GuardVerdict {
  const method = request.method.toUpperCase();
  if (HOST_EXEMPT_READS.has(request.pathname) && (method === 'GET' || method === 'HEAD')) return { ok: true };
  const expected = new URL(origin);
  const sent = request.headers.get('host');
  if (sent !== null && normaliseHost(sent.trim(), expected.protocol) === expected.host) return { ok: true };
  return {
    ok: false,
    status: 421,
    reason: 'host',
    error: `This Lockstep is served at ${origin}, not at host ${JSON.stringify(sent ?? '')}. Open ${origin}; if that is not the address users type, set LOCKSTEP_ORIGIN to it and restart.`,
  };
}

export function checkCrossOrigin(request: GuardRequest, origin: string): GuardVerdict {
  const method = request.method.toUpperCase();
  if (SAFE_METHODS.has(method)) return { ok: true };
  // A browser never attaches Authorization to a cross-origin request without a
  // CORS preflight we do not grant, and a token is not ambient like a cookie.
  if (/^bearer\s/i.test(request.headers.get('authorization') ?? '')) return { ok: true };
  if (CROSS_ORIGIN_EXEMPT.some((pattern) => pattern.test(request.pathname))) return { ok: true };

  const refuse = (seen: string): GuardVerdict => ({
    ok: false,
    status: 403,
    reason: 'cross-origin',
    error: `cross-origin request refused: ${seen}; changes are accepted only from pages of ${origin}`,
  });
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) {
    const value = site.trim().toLowerCase();
    return value === 'same-origin' || value === 'none' ? { ok: true } : refuse(`Sec-Fetch-Site is ${JSON.stringify(site)}`);
  }
  const from = request.headers.get('origin');
  if (from === null) return { ok: true }; // not a browser (curl, CI), or a browser too old to say
  let sent: string | null = null;
  try {
    sent = new URL(from.trim()).origin;
  } catch {}
  return sent === origin ? { ok: true } : refuse(`Origin is ${JSON.stringify(from)}`);
}

export function checkMediaType(request: GuardRequest): GuardVerdict {
  const method = request.method.toUpperCase();
  if (SAFE_METHODS.has(method) || !isApi(request.pathname)) return { ok: true };
  // better-auth checks media types itself, per endpoint (JSON, and urlencoded
  // only where it supports progressive-enhancement forms, with its own
  // Fetch-Metadata check there).
  if (request.pathname.startsWith('/api/auth/')) return { ok: true };
  // DELETE carries no body here; nothing to be of the wrong type.
  if (method === 'DELETE' && !hasBody(request.headers)) return { ok: true };
  const type = request.headers.get('content-type');
  if (isJsonMediaType(type)) return { ok: true };
  return {
    ok: false,
    status: 415,
    reason: 'media-type',
    error: type ? `unsupported Content-Type ${JSON.stringify(type)}: send application/json` : 'missing Content-Type: send application/json',
  };
}

/**
 * A path whose percent-encoding is not UTF-8 (`/api/models/%ED%A0%80`): Next
 * throws decoding it into route params and answers a bare 500, so refuse it here.
 */
export function checkPath(request: GuardRequest): GuardVerdict {
  try {
    decodeURIComponent(request.pathname);
    return { ok: true };
  } catch {
    return { ok: false, status: 400, reason: 'path', error: 'the URL path is not valid percent-encoded UTF-8' };
  }
}

/** The first check the request fails, in order path → host → cross-origin → media type, or ok. `origin` is normalised (appOrigin()). */
export function guardRequest(request: GuardRequest, origin: string): GuardVerdict {
  const path = checkPath(request);
  if (!path.ok) return path;
  const host = checkHost(request, origin);
  if (!host.ok) return host;
  const crossOrigin = checkCrossOrigin(request, origin);
  if (!crossOrigin.ok) return crossOrigin;
  return checkMediaType(request);
}
