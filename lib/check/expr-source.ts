/**
 * Expressions as JavaScript source for the specialised step function
 * (specialize.ts): the same values compile-expr.ts's closures compute, with
 * every slot a constant and quantifiers over a scenario's (fixed) instances
 * unrolled, so `!any(n: Snapshot, n.state in ["creating", "available"])`
 * becomes a handful of comparisons instead of a closure call per instance.
 *
 * What it does not write as source (tokens, fences, a lock or field reached
 * through a computed instance, very large unrollings) it leaves to the
 * closure compile-expr.ts makes, called from the generated code; inside an
 * unrolled quantifier that is not possible (the closure could not see the
 * bound variable), so the whole quantifier falls back instead.
 */
import type { Typed } from '../model/expr/types';
import { compileExpr, type ExprEnv } from './compile-expr';
import { RUNNING } from './layout';
import { unreachable } from '../model/walk';

/** Names a value for the generated code (a closure or table it calls or reads). */
export type ConstantNamer = (value: unknown) => string;

/** Quantifier domains larger than this, or expressions longer than MAX_SOURCE characters, stay closures. */
const MAX_UNROLL = 32;
const MAX_SOURCE = 4000;

/** JavaScript for the value of `expr` in state `s` (0/1 for booleans), as compile-expr.ts computes it. */
export function exprSource(expr: Typed, env: ExprEnv, constant: ConstantNamer): string {
  const writer = new SourceWriter(env, constant);
  return writer.top(expr);
}

class Unsupported extends Error {}

class SourceWriter {
  /** Quantified variables bound by an unrolling, to an instance index. */
  private readonly bound = new Map<string, number>();

  constructor(
    private readonly env: ExprEnv,
    private readonly constant: ConstantNamer,
  ) {}

  top(expr: Typed): string {
    try {
      const source = this.write(expr);
      if (source.length <= MAX_SOURCE) return source;
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
    }
    return `${this.constant(compileExpr(expr, this.env))}(s)`;
  }

  /** A closure for `expr`, when it has no variable bound by an unrolling (else the enclosing quantifier must fall back). */
  private closure(expr: Typed): string {
    if (this.bound.size > 0) throw new Unsupported();
    return `${this.constant(compileExpr(expr, this.env))}(s)`;
  }

  /** The instance an object expression names when it is fixed here (a parameter, an instance, a bound variable); -1 otherwise. */
  private fixedInstance(object: Typed): number {
    if (object.kind === 'param') return this.env.params.get(object.name) ?? -1;
    if (object.kind === 'instance') return this.env.instances.get(object.name) ?? -1;
    if (object.kind === 'qvar') return this.bound.get(object.name) ?? -1;
    return -1;
  }

  private write(expr: Typed): string {
    const env = this.env;
    switch (expr.kind) {
      case 'const':
        return expr.value < 0 ? `(${expr.value})` : String(expr.value);
      case 'local':
        return `s[${env.locals.get(expr.name)!}]`;
      case 'param':
        return String(env.params.get(expr.name)!);
      case 'instance':
        return String(env.instances.get(expr.name)!);
      case 'qvar': {
        const instance = this.bound.get(expr.name);
        if (instance === undefined) throw new Unsupported();
        return String(instance);
      }
      case 'field': {
        const offset = env.fieldOffset(expr.resource, expr.field);
        const instance = this.fixedInstance(expr.object);
        if (instance >= 0) return `s[${env.instanceBase[instance] + offset}]`;
        return `s[${this.constant(env.instanceBase)}[${this.write(expr.object)}] + ${offset}]`;
      }
      case 'not':
        return `(${this.write(expr.arg)} === 0 ? 1 : 0)`;
      case 'neg':
        return `(-${this.write(expr.arg)})`;
      case 'binary':
        return this.binary(expr);
      case 'in': {
        const value = this.write(expr.value);
        const items = expr.items.map((item) => this.write(item));
        if (items.length === 0) return '0';
        // The value is read once per comparison: fine for a slot or a constant, else a closure evaluates it once.
        if (!/^(s\[\d+\]|\(?-?\d+\)?)$/.test(value)) return this.closure(expr);
        return `(${items.map((item) => `${value} === ${item}`).join(' || ')} ? 1 : 0)`;
      }
      case 'quant': {
        const domain = env.instancesOf(expr.resource);
        if (domain.length > MAX_UNROLL) return this.closure(expr);
        let bodies: string[];
        try {
          bodies = this.unrolled(expr, domain);
        } catch (error) {
          if (!(error instanceof Unsupported)) throw error;
          return this.closure(expr);
        }
        if (bodies.length === 0) return expr.quantifier === 'all' ? '1' : '0';
        return `(${bodies.join(expr.quantifier === 'all' ? ' && ' : ' || ')} ? 1 : 0)`;
      }
      case 'count': {
        const slots = env.instancesOf(expr.resource).map((i) => env.instanceBase[i]);
        if (slots.length === 0) return '0';
        return `(${slots.map((slot) => `(s[${slot}] === ${expr.state} ? 1 : 0)`).join(' + ')})`;
      }
      case 'at': {
        const { slots, pc } = env.positions(expr.operation, expr.label);
        if (slots.length === 0) return '0';
        return `(${slots.map(([status, at]) => `(s[${status}] === ${RUNNING} && s[${at}] === ${pc} ? 1 : 0)`).join(' + ')})`;
      }
      case 'holds': {
        const key = expr.on === null ? -1 : this.fixedInstance(expr.on);
        if (expr.on !== null && key < 0) return this.closure(expr);
        const slots = env.holdSlots(expr.lock, key);
        if (slots.length === 0) return '0';
        // In the lock table: exclusive (1), shared (2), or kept by a crashed holder (5, 6).
        return `(${slots.map((slot) => `(s[${slot}] === 1 || s[${slot}] === 2 || s[${slot}] === 5 || s[${slot}] === 6)`).join(' || ')} ? 1 : 0)`;
      }
      case 'token':
      case 'fence':
        return this.closure(expr);
      default:
        return unreachable(expr, 'expression');
    }
  }

  /** The quantifier's body once per instance of its domain, its variable bound to each in turn. */
  private unrolled(expr: Typed & { kind: 'quant' }, domain: readonly number[]): string[] {
    const shadowed = this.bound.get(expr.variable);
    try {
      return domain.map((instance) => {
        this.bound.set(expr.variable, instance);
        return `${this.write(expr.body)} !== 0`;
      });
    } finally {
      if (shadowed === undefined) this.bound.delete(expr.variable);
      else this.bound.set(expr.variable, shadowed);
    }
  }

  private binary(expr: Typed & { kind: 'binary' }): string {
    const l = this.write(expr.left);
    const r = this.write(expr.right);
    switch (expr.op) {
      case '&&':
        return `(${l} !== 0 && ${r} !== 0 ? 1 : 0)`;
      case '||':
        return `(${l} !== 0 || ${r} !== 0 ? 1 : 0)`;
      case '==':
        return `(${l} === ${r} ? 1 : 0)`;
      case '!=':
        return `(${l} !== ${r} ? 1 : 0)`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `(${l} ${expr.op} ${r} ? 1 : 0)`;
      case '+':
      case '-':
        return `(${l} ${expr.op} ${r})`;
      default:
        return unreachable(expr.op, 'operator');
    }
  }
}
