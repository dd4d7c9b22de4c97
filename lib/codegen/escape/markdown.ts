/**
 * Model text as one line of inline Markdown (a heading or a paragraph) that
 * renders as exactly that text: no HTML (`<`, `&`), no emphasis, code, links,
 * images, tables or strikethrough. CommonMark lets any ASCII punctuation be
 * backslash-escaped; only the characters that can start markup are, so an
 * ordinary name such as `Share delete vs snapshot` or `error_deleting` stays as
 * it is (`_` inside a word never starts emphasis).
 */
const ALNUM = /[A-Za-z0-9]/;

export function markdownText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]<>&!|~]/g, (c, at: number, all: string) =>
      c === '_' && ALNUM.test(all[at - 1] ?? '') && ALNUM.test(all[at + 1] ?? '') ? c : `\\${c}`,
    )
    .replace(/^([#+\-=]|\d+[.)])/, '\\$1');
}
