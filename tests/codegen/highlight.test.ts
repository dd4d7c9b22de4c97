import { describe, expect, it } from 'vitest';
import { highlight, highlightTs } from '@/components/export/highlight';

describe('highlight', () => {
  it('keeps every character, in order', () => {
    const src = 'export const x: Foo = "a // not a comment"; // note\n/* block */ const n = 42;\n';
    expect(highlightTs(src).map((t) => t.text).join('')).toBe(src);
  });
  it('classifies comments, strings, numbers, keywords and types', () => {
    const tokens = highlightTs('export const x: Foo = "a // b"; // c\n');
    expect(tokens).toContainEqual({ kind: 'string', text: '"a // b"' });
    expect(tokens).toContainEqual({ kind: 'comment', text: '// c' });
    expect(tokens).toContainEqual({ kind: 'type', text: 'Foo' });
    expect(tokens.find((t) => t.kind === 'keyword')?.text).toBe('export');
  });
  it('markdown: headings, fences and comments', () => {
    const md = '<!--\nhead\n-->\n# Title\n```mermaid\nstateDiagram-v2\n```\n';
    const tokens = highlight('diagram.md', md);
    expect(tokens.map((t) => t.text).join('')).toBe(md);
    expect(tokens[0]).toEqual({ kind: 'comment', text: '<!--\nhead\n-->\n' });
    expect(tokens).toContainEqual({ kind: 'heading', text: '# Title\n' });
  });
});
