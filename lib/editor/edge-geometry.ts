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
