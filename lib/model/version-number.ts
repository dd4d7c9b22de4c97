/** A model version number as it appears in URLs and requests: 1 … 2^31−1, decimal, no sign or leading zero. */
export const MAX_VERSION_NUMBER = 2 ** 31 - 1;

/** The version number `raw` spells, or null when it spells none (the caller answers 400 naming where it came from). */
export function parseVersionNumber(raw: string | null | undefined): number | null {
  if (raw == null || !/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_VERSION_NUMBER ? n : null;
}
