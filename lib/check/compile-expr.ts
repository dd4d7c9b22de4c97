/**
 * Compiles typed expressions to closures over a state vector, with every
 * offset that is known at compile time (parameters, locals, instance fields)
 * folded in: no name lookup or tree walk happens while exploring.
 */
import type { Typed } from '../model/expr/types';
import { unreachable } from '../model/walk';
import { holdsInTable, RUNNING } from './layout';

export type Eval = (s: Int32Array) => number;

/** What an expression's names mean for one process (or for an invariant). */
export interface ExprEnv {
  /** Parameter name → instance index (for a process). */
  params: ReadonlyMap<string, number>;
  /** Local name → slot (for a process). */
  locals: ReadonlyMap<string, number>;
  /** Instance name → instance index (scenario invariants). */
  instances: ReadonlyMap<string, number>;
  /** Instance index → slot of its `state` (its fields follow). */
  instanceBase: Int32Array;
  /** Resource → field → offset from the instance's base slot. */
  fieldOffset(resource: string, field: string): number;
  /** Instance indices of a resource type. */
  instancesOf(resource: string): readonly number[];
  /** (status slot, pc slot) of every process running `operation`, and the pc of `label`. */
  positions(operation: string, label: string): { slots: Array<[number, number]>; pc: number };
  /** Hold slots (one per process that may hold it) of lock `lock` keyed by instance `key` (-1: global). */
  holdSlots(lock: string, key: number): readonly number[];
  /**
   * Slot of this process's fencing token for `lock` keyed by instance `key` (-1: global), or -1
   * when it can hold none (no process, a lock its operation never names, no fencing in this scenario).
   */
  tokenSlot(lock: string, key: number): number;
  /** Slot of the highest token of `lock` that instance `instance` accepted; -1 when the lock hands out no tokens here. */
  fenceSlot(lock: string, instance: number): number;
  /** How many instances the scenario has (`fence(L)` of a global lock reads them all). */
  instanceCount: number;
}

export function compileExpr(expr: Typed, env: ExprEnv): Eval {
  return new ExprCompiler(env).compile(expr);
}

class ExprCompiler {
  /** Values of quantified variables while their body runs. */
  private readonly vars = new Int32Array(16);
  private readonly varIndex = new Map<string, number>();

  constructor(private readonly env: ExprEnv) {}

  compile(expr: Typed): Eval {
    const env = this.env;
    switch (expr.kind) {
      case 'const': {
        const v = expr.value;
        return () => v;
      }
      case 'local': {
        const slot = env.locals.get(expr.name)!;
        return (s) => s[slot];
      }
      case 'param': {
        const v = env.params.get(expr.name)!;
        return () => v;
      }
      case 'instance': {
        const v = env.instances.get(expr.name)!;
        return () => v;
      }
      case 'qvar': {
        const index = this.varIndex.get(expr.name)!;
        const vars = this.vars;
        return () => vars[index];
      }
      case 'field': {
        const offset = env.fieldOffset(expr.resource, expr.field);
        const object = expr.object;
        if (object.kind === 'param' || object.kind === 'instance') {
          const instance = object.kind === 'param' ? env.params.get(object.name)! : env.instances.get(object.name)!;
          const slot = env.instanceBase[instance] + offset;
          return (s) => s[slot];
        }
        const base = env.instanceBase;
        const target = this.compile(object);
        return (s) => s[base[target(s)] + offset];
      }
      case 'not': {
        const arg = this.compile(expr.arg);
        return (s) => (arg(s) === 0 ? 1 : 0);
      }
      case 'neg': {
        const arg = this.compile(expr.arg);
        return (s) => -arg(s);
      }
      case 'binary':
        return this.binary(expr);
      case 'in': {
        const value = this.compile(expr.value);
        if (expr.items.every((item) => item.kind === 'const')) {
          const set = expr.items.map((item) => (item as { value: number }).value);
          if (set.length === 1) {
            const only = set[0];
            return (s) => (value(s) === only ? 1 : 0);
          }
          return (s) => (set.includes(value(s)) ? 1 : 0);
        }
        const items = expr.items.map((item) => this.compile(item));
        return (s) => {
          const v = value(s);
          for (const item of items) if (item(s) === v) return 1;
          return 0;
        };
      }
      case 'quant': {
        const index = this.varIndex.size;
        if (index >= this.vars.length) throw new Error('too many nested quantifiers (at most 16)');
        const shadowed = this.varIndex.get(expr.variable);
        this.varIndex.set(expr.variable, index);
        const body = this.compile(expr.body);
        if (shadowed === undefined) this.varIndex.delete(expr.variable);
        else this.varIndex.set(expr.variable, shadowed);
        const domain = Int32Array.from(env.instancesOf(expr.resource));
        const vars = this.vars;
        if (expr.quantifier === 'all') {
          return (s) => {
            for (let i = 0; i < domain.length; i++) {
              vars[index] = domain[i];
              if (body(s) === 0) return 0;
            }
            return 1;
          };
        }
        return (s) => {
          for (let i = 0; i < domain.length; i++) {
            vars[index] = domain[i];
            if (body(s) !== 0) return 1;
          }
          return 0;
        };
      }
      case 'count': {
        const slots = Int32Array.from(env.instancesOf(expr.resource).map((i) => env.instanceBase[i]));
        const state = expr.state;
        return (s) => {
          let n = 0;
          for (let i = 0; i < slots.length; i++) if (s[slots[i]] === state) n++;
          return n;
        };
      }
      case 'at': {
        const { slots, pc } = env.positions(expr.operation, expr.label);
        const flat = Int32Array.from(slots.flat());
        return (s) => {
          let n = 0;
          for (let i = 0; i < flat.length; i += 2) if (s[flat[i]] === RUNNING && s[flat[i + 1]] === pc) n++;
          return n;
        };
      }
      case 'holds': {
        if (expr.on === null) return holdsAny(env.holdSlots(expr.lock, -1));
        if (expr.on.kind === 'param' || expr.on.kind === 'instance') {
          const key = expr.on.kind === 'param' ? env.params.get(expr.on.name)! : env.instances.get(expr.on.name)!;
          return holdsAny(env.holdSlots(expr.lock, key));
        }
        const on = this.compile(expr.on);
        const byKey = new Map<number, Eval>();
        return (s) => {
          const key = on(s);
          let f = byKey.get(key);
          if (!f) byKey.set(key, (f = holdsAny(env.holdSlots(expr.lock, key))));
          return f(s);
        };
      }
      case 'token':
        return this.byInstance(expr.on, (key) => slotValue(env.tokenSlot(expr.lock, key)));
      case 'fence': {
        if (expr.on !== null) return this.byInstance(expr.on, (instance) => slotValue(env.fenceSlot(expr.lock, instance)));
        // A global lock's fence: the highest token any instance accepted.
        const slots = Int32Array.from(Array.from({ length: env.instanceCount }, (_, i) => env.fenceSlot(expr.lock, i)).filter((slot) => slot >= 0));
        return (s) => {
          let max = 0;
          for (let i = 0; i < slots.length; i++) if (s[slots[i]] > max) max = s[slots[i]];
          return max;
        };
      }
      default:
        return unreachable(expr, 'expression');
    }
  }

  /** `make(instance)` for the instance `on` names (-1 when null): folded when it is fixed, else looked up per instance. */
  private byInstance(on: Typed | null, make: (instance: number) => Eval): Eval {
    const env = this.env;
    if (on === null) return make(-1);
    if (on.kind === 'param' || on.kind === 'instance') return make(on.kind === 'param' ? env.params.get(on.name)! : env.instances.get(on.name)!);
    const instance = this.compile(on);
    const byInstance: Eval[] = [];
    return (s) => {
      const i = instance(s);
      return (byInstance[i] ??= make(i))(s);
    };
  }

  private binary(expr: Typed & { kind: 'binary' }): Eval {
    const l = this.compile(expr.left);
    const r = this.compile(expr.right);
    switch (expr.op) {
      case '&&':
        return (s) => (l(s) !== 0 && r(s) !== 0 ? 1 : 0);
      case '||':
        return (s) => (l(s) !== 0 || r(s) !== 0 ? 1 : 0);
      case '==':
        if (expr.right.kind === 'const') {
          const v = expr.right.value;
          return (s) => (l(s) === v ? 1 : 0);
        }
        return (s) => (l(s) === r(s) ? 1 : 0);
      case '!=':
        if (expr.right.kind === 'const') {
          const v = expr.right.value;
          return (s) => (l(s) !== v ? 1 : 0);
        }
        return (s) => (l(s) !== r(s) ? 1 : 0);
      case '<':
        return (s) => (l(s) < r(s) ? 1 : 0);
      case '<=':
        return (s) => (l(s) <= r(s) ? 1 : 0);
      case '>':
        return (s) => (l(s) > r(s) ? 1 : 0);
      case '>=':
        return (s) => (l(s) >= r(s) ? 1 : 0);
      case '+':
        return (s) => l(s) + r(s);
      case '-':
        return (s) => l(s) - r(s);
      default:
        return unreachable(expr.op, 'operator');
    }
  }
}

/** Reads a slot; -1 (no such slot) reads 0: no token held, none accepted. */
function slotValue(slot: number): Eval {
  return slot < 0 ? () => 0 : (s) => s[slot];
}

function holdsAny(slots: readonly number[]): Eval {
  const flat = Int32Array.from(slots);
  return (s) => {
    for (let i = 0; i < flat.length; i++) if (holdsInTable(s[flat[i]])) return 1;
    return 0;
  };
}
