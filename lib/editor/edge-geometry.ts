/** Geometry of a transition drawn between two state boxes: border to border, optionally bent to one side. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the segment from the box's centre towards `toward` leaves the box. */
export function borderPoint(b: Box, toward: { x: number; y: number }): { x: number; y: number } {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const sx = dx === 0 ? Infinity : b.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}

/**
 * The path from `a` to `b`. `bend` (in px) pushes the curve's control point
 * sideways, so A→B and B→A are two arcs instead of one line drawn twice.
 */
export function edgeGeometry(a: Box, b: Box, bend: number): { path: string; labelX: number; labelY: number } {
  const ca = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const cb = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const dx = cb.x - ca.x;
  const dy = cb.y - ca.y;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len;
  const ny = dx / len;
  const mid = { x: (ca.x + cb.x) / 2 + nx * bend, y: (ca.y + cb.y) / 2 + ny * bend };
  const start = borderPoint(a, bend ? mid : cb);
  const end = borderPoint(b, bend ? mid : ca);
  if (!bend) return { path: `M ${start.x},${start.y} L ${end.x},${end.y}`, labelX: (start.x + end.x) / 2, labelY: (start.y + end.y) / 2 };
  // Quadratic curve whose midpoint is `mid`: control = 2·mid − (start+end)/2.
  const c = { x: 2 * mid.x - (start.x + end.x) / 2, y: 2 * mid.y - (start.y + end.y) / 2 };
  return { path: `M ${start.x},${start.y} Q ${c.x},${c.y} ${end.x},${end.y}`, labelX: mid.x, labelY: mid.y };
}

export type Point = { x: number; y: number };
export type Rect = Box;

/** Font of a transition's name on a canvas: monospace, so a name's box can be computed without a browser. */
export const LABEL_FONT_PX = 11;
const LABEL_CHAR_PX = 6.7; // ≥ 0.6 em, the advance of common monospace fonts at 11 px
const LABEL_PAD_PX = 12;
export const LABEL_HEIGHT = 18;

/** The box a transition's name takes (what ELK keeps clear and what the canvas draws). */
export function labelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(text.length * LABEL_CHAR_PX) + LABEL_PAD_PX, height: LABEL_HEIGHT };
}

/** An SVG path along a polyline whose corners are rounded by up to `radius` px. */
export function roundedPath(points: readonly Point[], radius = 8): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [p, c, n] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, Math.hypot(c.x - p.x, c.y - p.y) / 2, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = toward(c, p, r);
    const b = toward(c, n, r);
    d += ` L ${a.x},${a.y} Q ${c.x},${c.y} ${b.x},${b.y}`;
  }
  const last = points[points.length - 1];
  return points.length > 1 ? `${d} L ${last.x},${last.y}` : d;
}

function toward(from: Point, to: Point, dist: number): Point {
  const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: round2(from.x + ((to.x - from.x) * dist) / len), y: round2(from.y + ((to.y - from.y) * dist) / len) };
}
const round2 = (v: number) => Math.round(v * 100) / 100;

/** The point halfway along a polyline (where a name goes when the route has no label box). */
export function midpoint(points: readonly Point[]): Point {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let half = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (half <= lengths[i]) return toward(points[i], points[i + 1], half);
    half -= lengths[i];
  }
  return points[0] ?? { x: 0, y: 0 };
}

/** Whether two boxes overlap (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether the segment p→q passes through the inside of the box (shrunk by `inset` px so a route touching a border does not count). */
export function segmentCrossesRect(p: Point, q: Point, box: Rect, inset = 2): boolean {
  const x0 = box.x + inset;
  const x1 = box.x + box.width - inset;
  const y0 = box.y + inset;
  const y1 = box.y + box.height - inset;
  // Liang–Barsky clipping: does any part of the segment fall inside [x0,x1]×[y0,y1]?
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [den, num] of [[-dx, p.x - x0], [dx, x1 - p.x], [-dy, p.y - y0], [dy, y1 - p.y]] as const) {
    if (den === 0) {
      if (num < 0) return false;
      continue;
    }
    const t = num / den;
    if (den < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}
