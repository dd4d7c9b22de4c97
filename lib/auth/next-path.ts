/** A post-sign-in destination from the query string: a path on this site only (no `//host`, no scheme), else `/`. */
export function safeNextPath(raw: string | undefined | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}
