/**
 * One rule for text on every database: a string that SQLite would keep but
 * PostgreSQL cannot (jsonb and text refuse U+0000; an unpaired UTF-16
 * surrogate has no UTF-8 form) is refused at the door, with the path of the
 * offending string or key, so whatever one server stores the other can import.
 *
 * The walk is iterative (no recursion on attacker-controlled depth) and visits
 * each value once: linear in the size of the parsed body.
 */
import type { ApiIssue } from './http';

/** At most this many text issues are reported for one body (the first ones found, in document order). */
export const MAX_TEXT_ISSUES = 20;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` cannot be stored, or null when it can. */
export function unstorableText(s: string): string | null {
  if (s.includes('\u0000')) return 'contains U+0000, which cannot be stored';
  const lone = LONE_SURROGATE.exec(s);
  if (lone) {
    const code = lone[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains an unpaired surrogate (U+${code}) at character ${lone.index}, which is not valid Unicode text and cannot be stored`;
  }
  return null;
}

const holdsText = (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null);

/**
 * Whether a JSON text can parse to a string holding U+0000 or a lone surrogate.
 * Decoded UTF-8 cannot hold a surrogate, and JSON refuses a raw control
 * character inside a string, so only a `\u0000` or `\uD800`–`\uDFFF` escape
 * can produce one: a body without such an escape needs no walk.
 */
export function mayHoldUnstorableText(jsonText: string): boolean {
  return /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/.test(jsonText);
}

/** A path segment for a key: `.name` when it reads as an identifier, `["…"]` otherwise (keys may hold anything). */
function keySegment(key: string, parentPath: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parentPath === '' ? key : `${parentPath}.${key}`;
  return `${parentPath}[${JSON.stringify(key)}]`;
}

/** Every string and key of a parsed JSON value that cannot be stored, with its path (`resources[0].states[2].name`). */
export function textIssues(value: unknown, limit = MAX_TEXT_ISSUES): ApiIssue[] {
  const issues: ApiIssue[] = [];
  // Depth-first; children are pushed in reverse so issues come out in document order.
  // A string entry is a value to check; a `key` entry reports a key that failed (at its parent's path).
  const stack: Array<{ v: unknown; path: string; badKey?: string }> = [{ v: value, path: '' }];
  while (stack.length > 0 && issues.length < limit) {
    const { v, path, badKey } = stack.pop()!;
    if (badKey !== undefined) {
      // Quoted with JSON escapes, so the message itself stays printable and storable.
      issues.push({ path, message: `the key ${JSON.stringify(badKey)} ${unstorableText(badKey)}`, code: 'text' });
      continue;
    }
    if (typeof v === 'string') {
      const problem = unstorableText(v);
      if (problem) issues.push({ path, message: problem, code: 'text' });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) if (holdsText(v[i])) stack.push({ v: v[i], path: `${path}[${i}]` });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const child = (v as Record<string, unknown>)[key];
      if (holdsText(child)) stack.push({ v: child, path: keySegment(key, path) });
      if (unstorableText(key)) stack.push({ v: undefined, path, badKey: key });
    }
  }
  return issues;
}
