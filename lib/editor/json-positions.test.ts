import { describe, expect, it } from 'vitest';
import { jsonPositions, spanFor } from './json-positions';
import { loadExample } from './fixtures';

describe('JSON positions by document path', () => {
  it('finds values by path in pretty-printed JSON', () => {
    const text = JSON.stringify(loadExample(), null, 2);
    const positions = jsonPositions(text);
    const span = positions.get('operations[0].steps[1].cond')!;
    expect(JSON.parse(text.slice(span.from, span.to))).toBe('status == "available" || status == "error"');
    expect(text.slice(positions.get('resources[0].states[3].name')!.from, positions.get('resources[0].states[3].name')!.to)).toBe('"deleting"');
    expect(positions.get('')).toEqual({ from: 0, to: text.length });
  });
  it('falls back to the nearest enclosing value, and gives nothing for broken JSON', () => {
    const positions = jsonPositions('{"a": [1, {"b": "x\\"y"}]}');
    expect(spanFor(positions, 'a[1].b.missing')).toEqual(positions.get('a[1].b'));
    expect(spanFor(positions, 'zzz')).toEqual(positions.get(''));
    expect(jsonPositions('{"a": ').size).toBe(0);
  });
});
