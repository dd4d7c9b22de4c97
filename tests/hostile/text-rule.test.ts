/**
 * The text rule (lib/server/text-rule.ts) on its own: which strings are
 * refused, the paths it names (keys included), document order, and that the
 * quick text scan never misses a string the walk would refuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldUnstorableText, textIssues, unstorableText } from '@/lib/server/text-rule';

describe('text rule', () => {
  it('refuses U+0000 and unpaired surrogates, keeps every well-formed string', () => {
    expect(unstorableText('a\u0000b')).toMatch(/U\+0000/);
    expect(unstorableText('\ud800')).toMatch(/unpaired surrogate \(U\+D800\)/);
    expect(unstorableText('x\udfff')).toMatch(/U\+DFFF/);
    expect(unstorableText('\udc00\ud800')).not.toBeNull(); // reversed pair
    for (const ok of ['', '😀', '👩‍👩‍👧', 'שלום', 'e\u0301', '\u2028\u2029', '\ufeff', '\u0001\u001f', '\uffff', '𝕏']) expect(unstorableText(ok)).toBeNull();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => unstorableText(s) === null));
  });

  it('names the path of each bad string and key, in document order', () => {
    const doc = JSON.parse('{"name":"ok","resources":[{"states":[{"name":"a"},{"name":"b"},{"name":"c\\u0000"}]}],"description":"\\ud800","k\\u0000":1}');
    expect(textIssues(doc)).toEqual([
      { path: 'resources[0].states[2].name', message: 'contains U+0000, which cannot be stored', code: 'text' },
      { path: 'description', message: expect.stringMatching(/unpaired surrogate/), code: 'text' },
      { path: '', message: 'the key "k\\u0000" contains U+0000, which cannot be stored', code: 'text' },
    ]);
    expect(textIssues({ 'a b': ['\u0000'] })[0].path).toBe('["a b"][0]');
    expect(textIssues([[['\ud800']]])[0].path).toBe('[0][0][0]');
  });

  it('reports at most 20 issues and walks deep values without recursion', () => {
    expect(textIssues(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(textIssues(deep)[0].path).toBe('[0]'.repeat(100_000));
  });

  it('the quick scan of the JSON text flags every body whose parsed value has a bad string', () => {
    const text = fc.string({ unit: 'binary' });
    const json = fc.jsonValue().chain((v) => fc.tuple(fc.constant(v), text, text));
    fc.assert(
      fc.property(json, ([v, s, k]) => {
        const body = JSON.stringify({ v, s, [k]: 1 });
        const bad = textIssues(JSON.parse(body)).length > 0;
        if (bad) expect(mayHoldUnstorableText(body)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(mayHoldUnstorableText('{"a":"\\u0000"}')).toBe(true);
    expect(mayHoldUnstorableText('{"a":"\\uDBFF\\uDFFF"}')).toBe(true); // a pair: walked, then allowed
    expect(textIssues(JSON.parse('{"a":"\\uDBFF\\uDFFF"}'))).toEqual([]);
    expect(mayHoldUnstorableText('{"a":"\\u00e9 😀"}')).toBe(false);
  });
});
