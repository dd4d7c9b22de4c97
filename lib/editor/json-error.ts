/**
 * Where a JSON.parse error is, as an offset into the text. V8's messages name
 * a position ("… at position 12") or quote a snippet around the bad token
 * ("Unexpected token 'X', ...\"sources\":X [ { \"... is not valid JSON").
 */
export function jsonErrorOffset(source: string, message: string): number {
  const position = /position (\d+)/.exec(message);
  if (position) return Math.min(Number(position[1]), source.length);
  if (/end of (JSON )?input|Unterminated/i.test(message)) return source.length;
  const snippet = /Unexpected token '(.+?)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (snippet) {
    const [, token, around] = snippet;
    const at = source.indexOf(around);
    if (at >= 0) return at + Math.max(0, around.indexOf(token));
    const bare = source.indexOf(token);
    if (bare >= 0) return bare;
  }
  return 0;
}
