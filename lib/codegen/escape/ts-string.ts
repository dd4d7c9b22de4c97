/**
 * Model text as a TypeScript string literal. JSON's escaping is valid TS (quotes,
 * backslashes, control characters, lone surrogates as \uXXXX); U+2028/U+2029 are
 * escaped too, so older parsers and tools that split lines on them see one line.
 * `${` and backticks need nothing: the literal is double-quoted, never a template.
 */
export function tsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
