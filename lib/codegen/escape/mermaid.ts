/**
 * Model text in a Mermaid stateDiagram-v2.
 *
 * Ids: state names are identifiers; a fixed prefix keeps them clear of
 * Mermaid's keywords (`end`, `state`, `note`…) and of `__proto__`-like keys.
 * Labels: Mermaid ends a transition label at a newline, reads `;` as a
 * statement end, `%%` as a comment or directive (`%%{init: …}%%`), `:` and
 * quotes as syntax, and `#…;` as an entity code. Each such character is written
 * as Mermaid's own entity code (`#35;` for `#`, `#lt;`…), which Mermaid turns
 * back into the character as text — so the label reads as written and never
 * becomes markup or syntax.
 */

export const mermaidId = (name: string) => `s_${name}`;

const SPECIAL = /[#;:%"'`<>&{}[\]()|\\=]/g;

export function mermaidLabel(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(SPECIAL, (c) => `#${c.charCodeAt(0)};`);
}
