/** Type checker: resolves names against a scope and the catalog, coerces literals, returns the typed tree. */
import type { Catalog } from '../catalog';
import { ExprError, type Expr } from './ast';
import { chain, didYouMean } from './suggest';
import { BOOL, INT, sameType, TOKEN, typeName, type Type, type Typed } from './types';
import { MAX_EXPRESSION_DEPTH } from '../limits';

export type Binding =
  | { kind: 'local'; type: Type }
  | { kind: 'param'; resource: string }
  | { kind: 'instance'; resource: string };

export type Scope = ReadonlyMap<string, Binding>;

export interface TypecheckOptions {
  /**
   * Whether a process evaluates the expression (an operation's step; the default).
   * Invariants have none, so `token(…)` — the executing process's token — is refused there.
   */
  inProcess?: boolean;
}

export function typecheck(expr: Expr, scope: Scope, catalog: Catalog, options: TypecheckOptions = {}): Typed {
  return new Checker(scope, catalog, options.inProcess ?? true).check(expr, new Map());
}

/** Checks an expression that must have `expected` type; string literals become enum members. */
export function typecheckAs(expr: Expr, expected: Type, scope: Scope, catalog: Catalog, options: TypecheckOptions = {}): Typed {
  return new Checker(scope, catalog, options.inProcess ?? true).expect(expr, expected, new Map());
}

/** Turns a literal from the document (cas from/to, initial values) into its encoded value. */
export function encodeLiteral(value: string | number | boolean, type: Type): number {
  switch (type.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw new ExprError(`expected true or false, found ${JSON.stringify(value)}`, 1);
      return value ? 1 : 0;
    case 'int':
      if (typeof value !== 'number') throw new ExprError(`expected a number, found ${JSON.stringify(value)}`, 1);
      if (value < type.min || value > type.max) throw new ExprError(`${value} is outside ${type.min}..${type.max}`, 1);
      return value;
    case 'enum': {
      const index = typeof value === 'string' ? indexOf(type.values, value) : -1;
      if (index < 0) throw new ExprError(unknownMember(String(value), type), 1);
      return index;
    }
    case 'ref':
      throw new ExprError(`a reference to ${type.resource} cannot be a literal`, 1);
  }
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** `values.indexOf(value)` in O(1): documents may compare against enums of thousands of members thousands of times. */
export function indexOf(values: readonly string[], value: string): number {
  let index = indexes.get(values);
  if (!index) {
    index = new Map();
    for (let i = values.length - 1; i >= 0; i--) index.set(values[i], i);
    indexes.set(values, index);
  }
  return index.get(value) ?? -1;
}

function unknownMember(value: string, type: Type & { kind: 'enum' }): string {
  const [owner, field] = type.of.split('.');
  const what = field === 'state' ? `state '${value}' of ${owner}` : `value '${value}' of ${type.of}`;
  return `unknown ${what}${didYouMean(value, type.values)}`;
}

type QuantVars = Map<string, string>;

class Checker {
  private depth = 0;

  constructor(
    private readonly scope: Scope,
    private readonly catalog: Catalog,
    private readonly inProcess: boolean,
  ) {}

  expect(expr: Expr, expected: Type, vars: QuantVars): Typed {
    if (expr.kind === 'str') {
      if (expected.kind !== 'enum') {
        throw new ExprError(`a string "${expr.value}" cannot be a ${typeName(expected)}`, expr.col);
      }
      const index = indexOf(expected.values, expr.value);
      if (index < 0) throw new ExprError(unknownMember(expr.value, expected), expr.col);
      return { kind: 'const', type: expected, value: index };
    }
    const typed = this.check(expr, vars);
    if (!sameType(typed.type, expected)) {
      const hint =
        expected.kind === 'enum' && typed.type.kind === 'enum'
          ? ' (an enum holds another enum\'s value, or a state, only when it lists the same members in the same order)'
          : '';
      throw new ExprError(`expected ${typeName(expected)} but this is ${typeName(typed.type)}${hint}`, expr.col);
    }
    return typed;
  }

  /** Guards the recursion: `parseExpr` already refuses deeper trees, but an `Expr` may be built by hand. */
  check(expr: Expr, vars: QuantVars): Typed {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw new ExprError(`expression nests deeper than ${MAX_EXPRESSION_DEPTH}`, expr.col);
    try {
      return this.checkNode(expr, vars);
    } finally {
      this.depth--;
    }
  }

  private checkNode(expr: Expr, vars: QuantVars): Typed {
    switch (expr.kind) {
      case 'num':
        return { kind: 'const', type: INT, value: expr.value };
      case 'bool':
        return { kind: 'const', type: BOOL, value: expr.value ? 1 : 0 };
      case 'str':
        throw new ExprError(
          `a string "${expr.value}" needs something to compare with (e.g. share.state == "${expr.value}")`,
          expr.col,
        );
      case 'name':
        return this.name(expr, vars);
      case 'field':
        return this.field(expr, vars);
      case 'unary': {
        if (expr.op === '!') return { kind: 'not', type: BOOL, arg: this.expect(expr.arg, BOOL, vars) };
        return { kind: 'neg', type: INT, arg: this.expectInt(expr.arg, vars) };
      }
      case 'binary':
        return this.binary(expr, vars);
      case 'list':
        throw new ExprError('a list can only stand on the right of "in"', expr.col);
      case 'quant': {
        const resource = this.resource(expr.type, expr.typeCol);
        // Bind in place and restore afterwards: copying the map per level would be quadratic in the nesting.
        const shadowed = vars.get(expr.variable);
        vars.set(expr.variable, resource);
        const body = this.expect(expr.body, BOOL, vars);
        if (shadowed === undefined) vars.delete(expr.variable);
        else vars.set(expr.variable, shadowed);
        return { kind: 'quant', type: BOOL, quantifier: expr.quantifier, variable: expr.variable, resource, body };
      }
      case 'count': {
        const resource = this.resource(expr.type, expr.typeCol);
        const states = this.catalog.resources.get(resource)!.states;
        const index = indexOf(states, expr.state);
        if (index < 0) {
          throw new ExprError(`unknown state '${expr.state}' of ${resource}${didYouMean(expr.state, states)}`, expr.stateCol);
        }
        return { kind: 'count', type: INT, resource, state: index };
      }
      case 'at': {
        const op = this.catalog.operations.get(expr.operation);
        if (!op) {
          throw new ExprError(
            `unknown operation '${expr.operation}'${didYouMean(expr.operation, this.catalog.operations.keys())}`,
            expr.col + 3,
          );
        }
        if (!op.labels.has(expr.label)) {
          throw new ExprError(
            `operation '${expr.operation}' has no step labelled '${expr.label}'${didYouMean(expr.label, op.labels)}`,
            expr.labelCol,
          );
        }
        return { kind: 'at', type: INT, operation: expr.operation, label: expr.label };
      }
      case 'holds': {
        const lock = this.catalog.locks.get(expr.lock);
        if (!lock) {
          throw new ExprError(`unknown lock '${expr.lock}'${didYouMean(expr.lock, this.catalog.locks.keys())}`, expr.lockCol);
        }
        if (!lock.key) {
          if (expr.on) throw new ExprError(`lock '${lock.name}' is global: holds() takes no instance`, expr.on.col);
          return { kind: 'holds', type: BOOL, lock: lock.name, on: null };
        }
        if (!expr.on) throw new ExprError(`lock '${lock.name}' is keyed by ${lock.key}: name the instance`, expr.col);
        return { kind: 'holds', type: BOOL, lock: lock.name, on: this.expect(expr.on, { kind: 'ref', resource: lock.key }, vars) };
      }
      case 'token':
        return this.token(expr, vars);
      case 'fence':
        return this.fence(expr, vars);
    }
  }

  /** A lock that hands out fencing tokens (in the document; a scenario may still override it). */
  private fencingLock(name: string, col: number, fn: 'token' | 'fence', vars: QuantVars) {
    const lock = this.catalog.locks.get(name);
    if (!lock) {
      // `fence(share)`: a lone argument is read as the lock; say what was probably meant.
      const hint = fn === 'fence' && (this.scope.has(name) || vars.has(name)) ? ` ('${name}' is an instance: write fence(${name}, lock))` : '';
      throw new ExprError(`unknown lock '${name}'${hint || didYouMean(name, this.catalog.locks.keys())}`, col);
    }
    if (!lock.fencing) throw new ExprError(`lock '${lock.name}' hands out no fencing tokens; set fencing: true`, col);
    return lock;
  }

  private token(expr: Expr & { kind: 'token' }, vars: QuantVars): Typed {
    if (!this.inProcess) {
      throw new ExprError(
        'token() is the token the executing process holds, and an invariant runs in no process; assert it in an operation step, or compare fence(r, lock) values',
        expr.col,
      );
    }
    const lock = this.fencingLock(expr.lock, expr.lockCol, 'token', vars);
    if (!lock.key) {
      if (expr.on) throw new ExprError(`lock '${lock.name}' is global: token() takes no instance`, expr.on.col);
      return { kind: 'token', type: TOKEN, lock: lock.name, on: null };
    }
    if (!expr.on) throw new ExprError(`lock '${lock.name}' is keyed by ${lock.key}: name the instance, as in token(${lock.name}, r)`, expr.col);
    return { kind: 'token', type: TOKEN, lock: lock.name, on: this.expect(expr.on, { kind: 'ref', resource: lock.key }, vars) };
  }

  private fence(expr: Expr & { kind: 'fence' }, vars: QuantVars): Typed {
    const lock = this.fencingLock(expr.lock, expr.lockCol, 'fence', vars);
    if (!expr.on) {
      if (lock.key) {
        throw new ExprError(`lock '${lock.name}' is keyed by ${lock.key}: name the instance whose fence to read, as in fence(r, ${lock.name})`, expr.col);
      }
      return { kind: 'fence', type: TOKEN, lock: lock.name, on: null };
    }
    // Any instance: a fenced write records the token on the row it writes, whatever its type.
    const on = this.check(expr.on, vars);
    if (on.type.kind !== 'ref') throw new ExprError(`fence() reads an instance's fence, but this is ${typeName(on.type)}`, expr.on.col);
    return { kind: 'fence', type: TOKEN, lock: lock.name, on };
  }

  private resource(name: string, col: number): string {
    if (!this.catalog.resources.has(name)) {
      throw new ExprError(`unknown resource type '${name}'${didYouMean(name, this.catalog.resources.keys())}`, col);
    }
    return name;
  }

  private name(expr: Expr & { kind: 'name' }, vars: QuantVars): Typed {
    const quantified = vars.get(expr.name);
    if (quantified) return { kind: 'qvar', type: { kind: 'ref', resource: quantified }, name: expr.name };
    const binding = this.scope.get(expr.name);
    if (!binding) {
      throw new ExprError(`unknown name '${expr.name}'${didYouMean(expr.name, chain(this.scope.keys(), vars.keys()))}`, expr.col);
    }
    if (binding.kind === 'local') return { kind: 'local', type: binding.type, name: expr.name };
    // A parameter or instance whose declared type is unknown is bound (so it is not also "unknown name"), but has no fields.
    if (!this.catalog.resources.has(binding.resource)) {
      throw new ExprError(`'${expr.name}' has an unknown resource type '${binding.resource}'`, expr.col);
    }
    return { kind: binding.kind, type: { kind: 'ref', resource: binding.resource }, name: expr.name };
  }

  private field(expr: Expr & { kind: 'field' }, vars: QuantVars): Typed {
    const object = this.check(expr.object, vars);
    if (object.type.kind !== 'ref') {
      throw new ExprError(`'.${expr.field}' needs a resource instance, but this is ${typeName(object.type)}`, expr.fieldCol);
    }
    const resource = this.catalog.resources.get(object.type.resource);
    if (!resource) throw new ExprError(`unknown resource type '${object.type.resource}'`, expr.col);
    const type = resource.fields.get(expr.field);
    if (!type) {
      throw new ExprError(
        `${resource.name} has no field '${expr.field}'${didYouMean(expr.field, resource.fields.keys())}`,
        expr.fieldCol,
      );
    }
    return { kind: 'field', type, object, resource: resource.name, field: expr.field };
  }

  private expectInt(expr: Expr, vars: QuantVars): Typed {
    const typed = this.check(expr, vars);
    if (typed.type.kind !== 'int') throw new ExprError(`expected a number but this is ${typeName(typed.type)}`, expr.col);
    return typed;
  }

  private binary(expr: Expr & { kind: 'binary' }, vars: QuantVars): Typed {
    switch (expr.op) {
      case '&&':
      case '||':
        return { kind: 'binary', type: BOOL, op: expr.op, left: this.expect(expr.left, BOOL, vars), right: this.expect(expr.right, BOOL, vars) };
      case '+':
      case '-':
        return { kind: 'binary', type: INT, op: expr.op, left: this.expectInt(expr.left, vars), right: this.expectInt(expr.right, vars) };
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { kind: 'binary', type: BOOL, op: expr.op, left: this.expectInt(expr.left, vars), right: this.expectInt(expr.right, vars) };
      case '==':
      case '!=': {
        if (expr.left.kind === 'str' && expr.right.kind === 'str') {
          throw new ExprError('comparing two literals is always the same; compare a field or local', expr.col);
        }
        // Type the non-literal side first so a literal on either side is coerced to it.
        if (expr.left.kind === 'str') {
          const right = this.check(expr.right, vars);
          return { kind: 'binary', type: BOOL, op: expr.op, left: this.expect(expr.left, right.type, vars), right };
        }
        const left = this.check(expr.left, vars);
        return { kind: 'binary', type: BOOL, op: expr.op, left, right: this.expect(expr.right, left.type, vars) };
      }
      case 'in': {
        const value = this.check(expr.left, vars);
        if (expr.right.kind !== 'list') {
          throw new ExprError('"in" needs a list on its right, as in share.state in ["available", "error"]', expr.right.col);
        }
        const items = expr.right.items.map((item) => this.expect(item, value.type, vars));
        return { kind: 'in', type: BOOL, value, items };
      }
    }
  }
}
