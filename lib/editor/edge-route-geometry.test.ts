import { describe, expect, it } from 'vitest';
import { labelSize, midpoint, rectsOverlap, roundedPath, segmentCrossesRect } from './edge-geometry';

describe('routed edge geometry', () => {
  it('draws a polyline with rounded corners that starts and ends on the route', () => {
    const d = roundedPath([{ x: 0, y: 0 }, { x: 0, y: 100 }, { x: 100, y: 100 }], 8);
    expect(d).toBe('M 0,0 L 0,92 Q 0,100 8,100 L 100,100');
    // A corner closer than the radius is rounded by half the shorter segment.
    expect(roundedPath([{ x: 0, y: 0 }, { x: 0, y: 6 }, { x: 50, y: 6 }], 8)).toBe('M 0,0 L 0,3 Q 0,6 3,6 L 50,6');
  });
  it('finds the point halfway along a route', () => {
    expect(midpoint([{ x: 0, y: 0 }, { x: 0, y: 10 }, { x: 30, y: 10 }])).toEqual({ x: 10, y: 10 });
  });
  it('tells whether a segment passes through a box, not just by its border', () => {
    const box = { x: 10, y: 10, width: 20, height: 20 };
    expect(segmentCrossesRect({ x: 0, y: 20 }, { x: 40, y: 20 }, box)).toBe(true);
    expect(segmentCrossesRect({ x: 0, y: 0 }, { x: 40, y: 0 }, box)).toBe(false);
    expect(segmentCrossesRect({ x: 10, y: 0 }, { x: 10, y: 40 }, box)).toBe(false); // along the border
    expect(segmentCrossesRect({ x: 20, y: 0 }, { x: 20, y: 11 }, box)).toBe(false); // ends on the border (an arrow tip)
  });
  it('sizes a name by its characters (monospace) and detects overlapping boxes', () => {
    expect(labelSize('delete').width).toBeLessThan(labelSize('snapshot failed').width);
    expect(rectsOverlap({ x: 0, y: 0, width: 10, height: 10 }, { x: 9, y: 9, width: 5, height: 5 })).toBe(true);
    expect(rectsOverlap({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 })).toBe(false);
  });
});
