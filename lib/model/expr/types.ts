/** Types of the expression language and the resolved (typed) tree the checker compiles. */
import type { BinaryOp } from './ast';

export type Type =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  /** A resource's state (`of` = "Share.state") or an enum field (`of` = "Dir.mode"). */
  | { kind: 'enum'; of: string; values: readonly string[] }
  | { kind: 'ref'; resource: string };

export const BOOL: Type = { kind: 'bool' };
export const INT: Type & { kind: 'int' } = { kind: 'int', min: -(2 ** 30), max: 2 ** 30 };

export function typeName(type: Type): string {
  switch (type.kind) {
    case 'bool':
      return 'bool';
    case 'int':
      return type.min === INT.min ? 'int' : `int ${type.min}..${type.max}`;
    case 'enum':
      return type.of.endsWith('.state') ? `state of ${type.of.slice(0, -'.state'.length)}` : `enum ${type.of}`;
    case 'ref':
      return type.resource;
  }
}

/** Whether two enums list the same members in the same order (so their member indexes agree). */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Whether a value of type `b` may be compared with or assigned to a value of type `a`. */
export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'enum') {
    // An enum field listing exactly a resource's states, in order, holds a state (Cinder's
    // `previous_status = status`): both are stored as the same member index.
    const other = b as typeof a;
    return a.of === other.of || sameMembers(a.values, other.values);
  }
  if (a.kind === 'ref') return a.resource === (b as typeof a).resource;
  return true;
}

/**
 * The resolved tree. Literals are already coerced to integers (bools 0/1,
 * enum members their index); names are resolved to what they denote.
 */
export type Typed =
  | { kind: 'const'; type: Type; value: number }
  | { kind: 'local'; type: Type; name: string }
  | { kind: 'param'; type: Type & { kind: 'ref' }; name: string }
  | { kind: 'instance'; type: Type & { kind: 'ref' }; name: string }
  | { kind: 'qvar'; type: Type & { kind: 'ref' }; name: string }
  | { kind: 'field'; type: Type; object: Typed; resource: string; field: string }
  | { kind: 'not'; type: Type; arg: Typed }
  | { kind: 'neg'; type: Type; arg: Typed }
  | { kind: 'binary'; type: Type; op: Exclude<BinaryOp, 'in'>; left: Typed; right: Typed }
  | { kind: 'in'; type: Type; value: Typed; items: Typed[] }
  | { kind: 'quant'; type: Type; quantifier: 'all' | 'any'; variable: string; resource: string; body: Typed }
  | { kind: 'count'; type: Type; resource: string; state: number }
  | { kind: 'at'; type: Type; operation: string; label: string }
  | { kind: 'holds'; type: Type; lock: string; on: Typed | null }
  /** The executing process's fencing token for `lock` (on the key instance `on`; null: a global lock); 0 when it holds none. */
  | { kind: 'token'; type: Type; lock: string; on: Typed | null }
  /** The highest token of `lock` instance `on` accepted; `on` null (global lock only): the highest any instance accepted. */
  | { kind: 'fence'; type: Type; lock: string; on: Typed | null };

/**
 * Fencing tokens count acquires from 1, and 0 means "none": never negative. The
 * checker bounds the slots per scenario; the type only needs to be sound.
 */
export const TOKEN: Type & { kind: 'int' } = { kind: 'int', min: 0, max: INT.max };

/** Whether evaluating the expression reads shared state (fields, locks, positions). */
export function readsShared(expr: Typed): boolean {
  switch (expr.kind) {
    case 'const':
    case 'local':
    case 'param':
    case 'instance':
    case 'qvar':
      return false;
    case 'field':
      return true;
    case 'not':
    case 'neg':
      return readsShared(expr.arg);
    case 'binary':
      return readsShared(expr.left) || readsShared(expr.right);
    case 'in':
      return readsShared(expr.value) || expr.items.some(readsShared);
    case 'quant':
      return readsShared(expr.body);
    case 'count':
    case 'at':
    case 'holds':
      return true;
    case 'token':
      // The process's own token: no other process changes it, so it reads no shared state (the instance key may).
      return expr.on !== null && readsShared(expr.on);
    case 'fence':
      return true;
  }
}

/** Visits every `at(op, label)` in an expression. */
export function forEachAt(expr: Typed, visit: (operation: string, label: string) => void): void {
  switch (expr.kind) {
    case 'at':
      visit(expr.operation, expr.label);
      return;
    case 'field':
      forEachAt(expr.object, visit);
      return;
    case 'not':
    case 'neg':
      forEachAt(expr.arg, visit);
      return;
    case 'binary':
      forEachAt(expr.left, visit);
      forEachAt(expr.right, visit);
      return;
    case 'in':
      forEachAt(expr.value, visit);
      expr.items.forEach((item) => forEachAt(item, visit));
      return;
    case 'quant':
      forEachAt(expr.body, visit);
      return;
    case 'holds':
    case 'token':
    case 'fence':
      if (expr.on) forEachAt(expr.on, visit);
      return;
    default:
      return;
  }
}
