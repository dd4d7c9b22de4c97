/**
 * Model text inside an HTML comment (`<!-- … -->`, the header of diagram.md).
 * A comment ends at `-->` or `--!>` (and a Markdown renderer ends the HTML block
 * at `-->`), so text without `>` can never close it: `<` and `>` become the
 * look-alike `‹` and `›` (readable; entities are not decoded inside comments),
 * and line terminators become spaces so the text stays on its header line.
 */
export function htmlCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/</g, '‹').replace(/>/g, '›');
}
