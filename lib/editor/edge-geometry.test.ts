import { describe, expect, it } from 'vitest';
import { borderPoint, edgeGeometry } from './edge-geometry';

describe('edge geometry', () => {
  const a = { x: 0, y: 0, width: 100, height: 50 };
  const b = { x: 0, y: 200, width: 100, height: 50 };
  it('leaves a box through its border', () => {
    expect(borderPoint(a, { x: 50, y: 225 })).toEqual({ x: 50, y: 50 });
    expect(borderPoint(a, { x: 500, y: 25 })).toEqual({ x: 100, y: 25 });
  });
  it('draws a straight line border to border, or a bent curve', () => {
    expect(edgeGeometry(a, b, 0)).toEqual({ path: 'M 50,50 L 50,200', labelX: 50, labelY: 125 });
    const bent = edgeGeometry(a, b, 20);
    expect(bent.path.startsWith('M ')).toBe(true);
    expect(bent.path).toContain(' Q ');
    expect(bent.labelX).toBe(30); // to the right of travel (downwards) is -x
  });
});
