import { describe, expect, it } from 'vitest';
import { MAX_VERSION_NUMBER, parseVersionNumber } from './version-number';

describe('parseVersionNumber', () => {
  it('reads 1 … 2^31−1 spelled in plain decimal', () => {
    expect(parseVersionNumber('1')).toBe(1);
    expect(parseVersionNumber('42')).toBe(42);
    expect(parseVersionNumber(String(MAX_VERSION_NUMBER))).toBe(2147483647);
  });

  it('refuses every other spelling, so no route can read it differently', () => {
    for (const raw of ['0', '01', '-1', '+1', '1e3', '1.0', ' 1', '1 ', '0x1', 'abc', '', '2147483648', '99999999999', '１', null, undefined]) {
      expect(parseVersionNumber(raw), String(raw)).toBeNull();
    }
  });
});
