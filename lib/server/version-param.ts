/**
 * A version number arriving as text (the `:number` URL segment, `?version=`)
 * gets one answer on every route: not a version number → 400 naming where it
 * came from; a well-formed number the model does not have → 404 (the caller's
 * lookup). Pages answer notFound() for both (app/models/[id]/…/page.tsx).
 */
import { MAX_VERSION_NUMBER, parseVersionNumber } from '@/lib/model/version-number';
import { apiError } from './http';

/** The issue path of the URL segment `/versions/:number`. */
export const VERSION_SEGMENT = 'number';
/** The issue path of the query parameter `?version=`. */
export const VERSION_QUERY = 'version';

export const VERSION_NUMBER_RULE = `must be a version number: a whole number from 1 to ${MAX_VERSION_NUMBER}, without sign or leading zero`;

/** The 400 for text that spells no version number, naming `path`. */
export function badVersionNumber(path: string): Response {
  return apiError(400, 'invalid request', [{ path, message: VERSION_NUMBER_RULE }]);
}

export type VersionParam = { ok: true; number: number } | { ok: false; response: Response };

/** `raw` as a version number, or the 400 naming `path`. */
export function versionParam(raw: string | null | undefined, path: string): VersionParam {
  const number = parseVersionNumber(raw);
  return number === null ? { ok: false, response: badVersionNumber(path) } : { ok: true, number };
}
