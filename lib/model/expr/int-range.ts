/**
 * The range of values an int expression can take, computed from the types of
 * what it reads. The checker evaluates expressions in doubles (exact far
 * beyond 32 bits) but stores locals in an Int32Array: validation uses this to
 * refuse a `read` whose value might not fit, instead of letting it wrap.
 */
import type { Typed } from './types';

export type Range = readonly [min: number, max: number];

/** What the document allows at most: count(…) ≤ instances, at(…) ≤ processes. */
export interface IntBounds {
  instances: number;
  processes: number;
}

export function intRange(expr: Typed, bounds: IntBounds, locals: ReadonlyMap<string, Range>): Range {
  switch (expr.kind) {
    case 'const':
      return [expr.value, expr.value];
    case 'local':
      return locals.get(expr.name) ?? typeRange(expr);
    case 'neg': {
      const [min, max] = intRange(expr.arg, bounds, locals);
      return [-max, -min];
    }
    case 'binary': {
      const [a, b] = intRange(expr.left, bounds, locals);
      const [c, d] = intRange(expr.right, bounds, locals);
      if (expr.op === '+') return [a + c, b + d];
      if (expr.op === '-') return [a - d, b - c];
      return [0, 1];
    }
    case 'count':
      return [0, bounds.instances];
    case 'at':
      return [0, bounds.processes];
    default:
      return typeRange(expr);
  }
}

function typeRange(expr: Typed): Range {
  return expr.type.kind === 'int' ? [expr.type.min, expr.type.max] : [0, 1];
}
