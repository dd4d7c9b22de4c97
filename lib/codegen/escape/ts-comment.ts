/**
 * Model text inside a `//` line comment or a `/* … *\/` block comment: one line
 * (every ECMAScript line terminator — \n, \r, U+2028, U+2029 — becomes a space)
 * that cannot close a block comment (`*\/` becomes `* /`).
 */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '* /');
}
