import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error';

const offsetOf = (source: string) => {
  try {
    JSON.parse(source);
    return -1;
  } catch (e) {
    return jsonErrorOffset(source, (e as Error).message);
  }
};

describe('JSON error offsets', () => {
  it('points at the bad token whatever the message looks like', () => {
    const source = '{\n  "name": "x",\n  "resources":X [ { "a": 1 } ]\n}';
    expect(source[offsetOf(source)]).toBe('X');
    expect(offsetOf('{"a": ')).toBe(6);
    const missingComma = '{"a": 1 "b": 2}';
    expect(offsetOf(missingComma)).toBeGreaterThan(5);
  });
});
