/**
 * The origin the app is served at (scheme://host[:port]): LOCKSTEP_ORIGIN,
 * default http://localhost:3000. Every request must name its host (DNS
 * rebinding), every browser write must come from it (CSRF), and better-auth
 * builds its URLs and trusted origins from it. Pure: no Next imports, so the
 * proxy, route handlers and scripts share it.
 */
export const DEFAULT_ORIGIN = 'http://localhost:3000';

export class OriginConfigError extends Error {}

/**
 * `raw` normalised to its origin (lower-case host, default port dropped, no
 * trailing slash); throws OriginConfigError naming the problem when it is not
 * an http(s) origin. Lockstep is served at the root, so a path is refused
 * rather than silently ignored.
 */
export function normaliseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OriginConfigError(`LOCKSTEP_ORIGIN=${raw} is not a URL; expected e.g. https://lockstep.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OriginConfigError(`LOCKSTEP_ORIGIN=${raw} must start with http:// or https://`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new OriginConfigError(`LOCKSTEP_ORIGIN=${raw} must be scheme://host[:port] only (Lockstep is served at the root), e.g. ${url.origin}`);
  }
  return url.origin;
}

let cached: { raw: string; origin: string } | undefined;

/** The configured origin, normalised; throws OriginConfigError when LOCKSTEP_ORIGIN is malformed. */
export function appOrigin(): string {
  const raw = process.env.LOCKSTEP_ORIGIN?.trim() || DEFAULT_ORIGIN;
  if (cached?.raw !== raw) cached = { raw, origin: normaliseOrigin(raw) };
  return cached.origin;
}
