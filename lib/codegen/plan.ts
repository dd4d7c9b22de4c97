/**
 * Compiles `cas`, `atomic` and fenced `write` steps into guard plans (the data the generated
 * stores interpret). What a database cannot express is refused here, with the
 * step's path, so no wrong code is ever emitted:
 *   - `at(op, "label")` and `holds(L, r)` read the checker's process and lock
 *     tables, which have no counterpart in a database;
 *   - a named scenario instance (operations only see parameters and locals);
 *   - steps other than read/if/require/assert/write/cas/abort/return inside
 *     `atomic` (the validator already refuses them);
 *   - a quantifier whose body reaches through a reference of the quantified
 *     row (`any(n: Snapshot, n.share.state == …)`): Prisma cannot filter on it.
 */
import type { AnalyzedOperation, AnalyzedStep, LValue } from '../model/analyzed';
import type { Catalog } from '../model/catalog';
import type { Type, Typed } from '../model/expr/types';
import type { CodegenIssue } from './context';
import { camel, NameTable } from './names';
import { unreachable } from '../model/walk';
import { usesVar, type Cond, type PlanOp, type Term, type UpdateCheck, type Value } from './runtime/guard-plan';

export class PlanError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a plan needs from its caller: parameters (row ids) and locals read earlier, with their types. */
export interface PlanArgs {
  params: Map<string, string>;
  locals: Map<string, Type>;
  /** Fencing tokens the caller passes, by argument name → lock name. */
  tokens: Map<string, string>;
}

/** The mapping key of the column holding the highest fencing token of `lock` a row accepted. */
export const fenceField = (lock: string) => `fence:${lock}`;
/**
 * The guard argument carrying the writer's fencing token for each lock, by lock
 * name: `share-lease` → `shareLeaseToken`. Claimed once per model, so two locks
 * whose names camel-case alike (`a-b`, `aB`) never share one argument.
 */
export function tokenArgs(locks: readonly string[]): Map<string, string> {
  const names = new NameTable();
  return new Map(locks.map((lock) => [lock, names.claim(`${camel(lock)}Token`)]));
}

export interface CompiledPlan {
  ops: PlanOp[];
  args: PlanArgs;
  /** Resources read (fields, quantifiers, counts) and written. */
  reads: Set<string>;
  writes: Set<string>;
  /** Whether it reads rows it does not write (then only SERIALIZABLE isolation keeps it atomic). */
  readsOtherRows: boolean;
  /** How many distinct rows it writes. */
  rowsWritten: number;
}

class PlanCompiler {
  readonly args: PlanArgs = { params: new Map(), locals: new Map(), tokens: new Map() };
  readonly reads = new Set<string>();
  readonly writes = new Set<string>();
  /** Row terms read and written, as canonical text: the isolation comment depends on them. */
  readonly rowsRead = new Set<string>();
  readonly rowsWritten = new Set<string>();
  private readonly bound = new Set<string>();
  private readonly qvars: string[] = [];

  constructor(
    readonly catalog: Catalog,
    readonly op: AnalyzedOperation,
    readonly path: string,
    /** Locks that issue fencing tokens (under the chosen scenario's policies). */
    readonly fencingLocks: ReadonlySet<string>,
    /** The token argument of each lock (see tokenArgs). */
    readonly tokenArgs: ReadonlyMap<string, string>,
  ) {}

  fail(message: string, path = this.path): never {
    throw new PlanError(path, message);
  }

  value(type: Type, raw: number): Value {
    switch (type.kind) {
      case 'bool':
        return raw !== 0;
      case 'int':
        return raw;
      case 'enum': {
        const v = type.values[raw];
        if (v === undefined) this.fail(`value ${raw} is not a member of ${type.of}`);
        return v;
      }
      case 'ref':
        return this.fail('a literal reference cannot be stored; refer to a parameter instead');
    }
  }

  private arg(e: Typed & { kind: 'local' | 'param' }): Term {
    if (e.kind === 'param') this.args.params.set(e.name, e.type.resource);
    else if (!this.bound.has(e.name)) this.args.locals.set(e.name, e.type);
    return { kind: 'arg', name: e.name };
  }

  private rowText(term: Term): string {
    return JSON.stringify(term);
  }

  term(e: Typed): Term {
    switch (e.kind) {
      case 'const':
        return { kind: 'const', value: this.value(e.type, e.value) };
      case 'local':
      case 'param':
        return this.arg(e);
      case 'qvar':
        return { kind: 'var', name: e.name };
      case 'instance':
        return this.fail(`'${e.name}' names a scenario instance; generated code works on parameters`);
      case 'field': {
        const row = this.term(e.object);
        if (this.qvars.length && row.kind === 'field' && row.row.kind === 'var') {
          this.fail(`'${row.row.name}.${row.field}.${e.field}' reaches through a reference of a quantified row, which a Prisma filter cannot express; quantify over ${e.resource} instead`);
        }
        this.reads.add(e.resource);
        if (row.kind !== 'var') this.rowsRead.add(`${e.resource}:${this.rowText(row)}`);
        return { kind: 'field', row, resource: e.resource, field: e.field };
      }
      case 'neg':
        return { kind: 'neg', arg: this.term(e.arg) };
      case 'binary':
        if (e.op === '+' || e.op === '-') return { kind: e.op === '+' ? 'add' : 'sub', left: this.term(e.left), right: this.term(e.right) };
        return { kind: 'cond', cond: this.cond(e) };
      case 'count': {
        const info = this.catalog.resources.get(e.resource);
        const state = info?.states[e.state];
        if (state === undefined) return this.fail(`count(${e.resource}, …): unknown state`);
        this.reads.add(e.resource);
        this.rowsRead.add(`${e.resource}:*`);
        return { kind: 'count', resource: e.resource, state };
      }
      case 'not':
      case 'in':
      case 'quant':
        return { kind: 'cond', cond: this.cond(e) };
      case 'at':
        return this.fail(`at(${e.operation}, "${e.label}") counts processes at a step; a database has no such table, so this step cannot be generated`);
      case 'holds':
        return this.fail(`holds(${e.lock}, …) reads the lock table; a database guard cannot check it — take the lock with withLocks (locks.ts) around the guard instead`);
      case 'token':
        return this.token(e);
      case 'fence':
        return this.fence(e);
    }
  }

  /** Instance terms each lock's token was read for: one token argument carries one lock's token. */
  private readonly tokenOn = new Map<string, string>();

  /** `token(L, r)`: the token the caller holds, passed as the lock's token argument (0 without fencing). */
  private token(e: Typed & { kind: 'token' }): Term {
    if (!this.fencingLocks.has(e.lock)) return { kind: 'const', value: 0 };
    const on = e.on ? this.rowText(this.term(e.on)) : '';
    const seen = this.tokenOn.get(e.lock);
    if (seen !== undefined && seen !== on) this.fail(`token(${e.lock}, …) of two instances in one guard; one token argument carries one token: split the step`);
    this.tokenOn.set(e.lock, on);
    const arg = this.tokenArg(e.lock);
    return { kind: 'arg', name: arg };
  }

  /** The guard argument carrying the caller's token of `lock`. */
  tokenArg(lock: string): string {
    const arg = this.tokenArgs.get(lock) ?? `${camel(lock)}Token`;
    if (this.op.params.some((p) => p.name === arg) || this.op.locals.has(arg)) {
      this.fail(`the fencing token argument '${arg}' would clash with a parameter or local of ${this.op.name}`);
    }
    this.args.tokens.set(arg, lock);
    return arg;
  }

  /** `fence(r, L)`: the row's fence column of L, 0 before it accepted a token. */
  private fence(e: Typed & { kind: 'fence' }): Term {
    if (!e.on) return this.fail(`fence(${e.lock}) reads every row's fence column; name the row, as in fence(r, ${e.lock})`);
    if (e.on.type.kind !== 'ref') return this.fail(`fence(…, ${e.lock}) needs an instance`);
    const resource = e.on.type.resource;
    const row = this.term(e.on);
    if (this.qvars.length && row.kind === 'var') this.fail(`fence(${row.name}, ${e.lock}) inside a quantifier cannot be a Prisma filter (the column is empty until the row accepts a token)`);
    this.reads.add(resource);
    this.rowsRead.add(`${resource}:${this.rowText(row)}`);
    return { kind: 'field', row, resource, field: fenceField(e.lock), ifNull: 0 };
  }

  cond(e: Typed): Cond {
    switch (e.kind) {
      case 'not':
        return { kind: 'not', arg: this.cond(e.arg) };
      case 'binary':
        switch (e.op) {
          case '&&':
          case '||':
            return { kind: e.op === '&&' ? 'and' : 'or', args: [this.cond(e.left), this.cond(e.right)] };
          case '==':
          case '!=':
          case '<':
          case '<=':
          case '>':
          case '>=':
            return { kind: 'cmp', op: e.op, left: this.term(e.left), right: this.term(e.right) };
          case '+':
          case '-':
            return { kind: 'truthy', term: this.term(e) };
          default:
            return unreachable(e.op, 'binary operator');
        }
      case 'in':
        return { kind: 'in', value: this.term(e.value), items: e.items.map((i) => this.term(i)) };
      case 'quant': {
        this.reads.add(e.resource);
        this.rowsRead.add(`${e.resource}:*`);
        this.qvars.push(e.variable);
        try {
          const body = this.cond(e.body);
          return e.quantifier === 'any'
            ? { kind: 'exists', variable: e.variable, resource: e.resource, where: body }
            : { kind: 'not', arg: { kind: 'exists', variable: e.variable, resource: e.resource, where: { kind: 'not', arg: body } } };
        } finally {
          this.qvars.pop();
        }
      }
      case 'const':
        return { kind: 'bool', value: e.value !== 0 };
      case 'local':
      case 'param':
      case 'instance':
      case 'qvar':
      case 'field':
      case 'neg':
      case 'count':
      case 'at':
      case 'holds':
      case 'token':
      case 'fence':
        return { kind: 'truthy', term: this.term(e) };
      default:
        return unreachable(e, 'expression kind');
    }
  }

  target(t: LValue): { resource: string; row: Term; field: string } {
    const row = this.term(t.object);
    this.writes.add(t.resource);
    this.rowsWritten.add(`${t.resource}:${this.rowText(row)}`);
    return { resource: t.resource, row, field: t.field };
  }

  steps(steps: AnalyzedStep[]): PlanOp[] {
    return steps.map((s) => this.step(s));
  }

  step(s: AnalyzedStep): PlanOp {
    const at = (fn: () => PlanOp): PlanOp => {
      try {
        return fn();
      } catch (error) {
        if (error instanceof PlanError && error.path === this.path) throw new PlanError(s.path, error.message);
        throw error;
      }
    };
    return at(() => {
      switch (s.kind) {
        case 'require':
          return { kind: 'require', cond: this.cond(s.cond), message: s.message };
        case 'assert':
          return { kind: 'assert', cond: this.cond(s.cond), message: s.message };
        case 'read': {
          const value = this.term(s.expr);
          this.bound.add(s.local);
          return { kind: 'read', local: s.local, value };
        }
        case 'write': {
          const target = this.target(s.target);
          const value = this.term(s.value);
          if (!s.fencedBy || !this.fencingLocks.has(s.fencedBy.lock)) return { kind: 'write', ...target, value };
          const arg = this.tokenArg(s.fencedBy.lock);
          this.reads.add(target.resource);
          return { kind: 'write', ...target, value, fence: { field: fenceField(s.fencedBy.lock), token: { kind: 'arg', name: arg } } };
        }
        case 'cas': {
          if (s.else === 'retry') this.fail(`'retry' inside atomic cannot be generated`);
          const target = this.target(s.target);
          this.reads.add(target.resource);
          return {
            kind: 'cas',
            ...target,
            from: s.from.map((v) => this.value(s.target.type, v)),
            to: this.value(s.target.type, s.to),
            else: s.else,
            message: s.message,
          };
        }
        case 'if':
          return { kind: 'if', cond: this.cond(s.cond), then: this.steps(s.then), else: this.steps(s.else) };
        case 'abort':
          return { kind: 'abort', message: s.message };
        case 'return':
          return { kind: 'return' };
        case 'update':
        case 'repeat':
        case 'await':
        case 'atomic':
        case 'acquire':
        case 'release':
        case 'with':
        case 'call':
          return this.fail(`'${s.kind}' cannot run inside a generated transaction`);
        default:
          return unreachable(s, 'step kind');
      }
    });
  }

  /**
   * An update step: one `update` op. Its where checks test the instance's own fields; its filters
   * are conditions over any rows; its set values read the row before the update.
   */
  update(s: AnalyzedStep & { kind: 'update' }): PlanOp {
    const row = this.term(s.instance);
    this.reads.add(s.resource);
    this.writes.add(s.resource);
    this.rowsRead.add(`${s.resource}:${this.rowText(row)}`);
    this.rowsWritten.add(`${s.resource}:${this.rowText(row)}`);
    const checks: UpdateCheck[] = [
      ...s.expected.map((w): UpdateCheck => ({
        kind: 'where',
        name: w.target.field,
        field: w.target.field,
        op: w.op,
        values: w.values.map((v) => this.term(v)),
        ...(w.target.type.kind === 'bool' ? { bool: true as const } : {}),
      })),
      ...s.filters.map((f): UpdateCheck => ({ kind: 'filter', name: f.name, cond: this.cond(f.cond) })),
    ];
    const set = s.set.map((w) => ({ field: w.target.field, value: this.term(w.value) }));
    return { kind: 'update', resource: s.resource, row, checks, set, message: s.message };
  }

  result(ops: PlanOp[]): CompiledPlan {
    const readsOtherRows = [...this.rowsRead].some((r) => !this.rowsWritten.has(r));
    return { ops, args: this.args, reads: this.reads, writes: this.writes, readsOtherRows, rowsWritten: this.rowsWritten.size };
  }
}

/** The plan of an `atomic` step, or of a `cas` (a one-op plan). */
export function compileStepPlan(
  catalog: Catalog,
  op: AnalyzedOperation,
  step: AnalyzedStep & { kind: 'atomic' | 'cas' | 'write' | 'update' },
  fencingLocks: ReadonlySet<string>,
  tokens: ReadonlyMap<string, string> = tokenArgs([...fencingLocks]),
): CompiledPlan {
  const compiler = new PlanCompiler(catalog, op, step.path, fencingLocks, tokens);
  if (step.kind === 'atomic') return compiler.result(compiler.steps(step.steps));
  if (step.kind === 'write') return compiler.result([compiler.step(step)]);
  if (step.kind === 'update') return compiler.result([compiler.update(step)]);
  // A cas on its own: the plan fails when the row is not in an expected state, whatever the
  // step's `else`; the guard reports that as its outcome (abort, skip, or retry: the caller's loop).
  const target = compiler.target(step.target);
  compiler.reads.add(target.resource);
  const from = step.from.map((v) => compiler.value(step.target.type, v));
  return compiler.result([{ kind: 'cas', ...target, from, to: compiler.value(step.target.type, step.to), else: 'abort', message: step.message }]);
}

/** Why the Prisma store could not filter a quantifier of this plan (mirrors its runtime translation), or null. */
export function prismaProblem(ops: readonly PlanOp[]): string | null {
  const side = (t: Term, v: string) => (t.kind === 'var' && t.name === v) || (t.kind === 'field' && t.row.kind === 'var' && t.row.name === v);
  const filter = (c: Cond, v: string): string | null => {
    if (!usesVar(c, v)) return inCond(c);
    switch (c.kind) {
      case 'and':
      case 'or':
        for (const a of c.args) {
          const p = filter(a, v);
          if (p) return p;
        }
        return null;
      case 'not':
        return filter(c.arg, v);
      case 'in':
        return side(c.value, v) && !c.items.some((i) => usesVar(i, v)) ? null : `an 'in' on ${v} must test one of its fields against values`;
      case 'truthy':
        return side(c.term, v) ? null : `a condition on ${v} must test one of its fields`;
      case 'cmp':
        return (side(c.left, v) && !usesVar(c.right, v)) || (side(c.right, v) && !usesVar(c.left, v))
          ? null
          : `a comparison inside a quantifier over ${v} must compare one field of ${v} with a value that does not depend on ${v}`;
      case 'exists':
        return `a quantifier nested inside the quantifier over ${v} that refers to ${v} cannot be a Prisma filter`;
      case 'bool':
        return null; // mentions no variable: handled above
      default:
        return unreachable(c, 'condition kind');
    }
  };
  const inTerm = (t: Term): string | null => {
    switch (t.kind) {
      case 'field':
        return inTerm(t.row);
      case 'add':
      case 'sub':
        return inTerm(t.left) ?? inTerm(t.right);
      case 'neg':
        return inTerm(t.arg);
      case 'cond':
        return inCond(t.cond);
      case 'const':
      case 'arg':
      case 'var':
      case 'count':
        return null;
      default:
        return unreachable(t, 'term kind');
    }
  };
  const inCond = (c: Cond): string | null => {
    switch (c.kind) {
      case 'exists':
        return filter(c.where, c.variable);
      case 'and':
      case 'or':
        for (const a of c.args) {
          const p = inCond(a);
          if (p) return p;
        }
        return null;
      case 'not':
        return inCond(c.arg);
      case 'cmp':
        return inTerm(c.left) ?? inTerm(c.right);
      case 'in':
        return inTerm(c.value) ?? c.items.map(inTerm).find((p) => p) ?? null;
      case 'truthy':
        return inTerm(c.term);
      case 'bool':
        return null;
      default:
        return unreachable(c, 'condition kind');
    }
  };
  for (const op of ops) {
    const p =
      op.kind === 'require' || op.kind === 'assert'
        ? inCond(op.cond)
        : op.kind === 'if'
          ? (inCond(op.cond) ?? prismaProblem(op.then) ?? prismaProblem(op.else))
          : op.kind === 'read' || op.kind === 'write'
            ? inTerm(op.value)
            : op.kind === 'update'
              ? (op.checks.map((c) => (c.kind === 'filter' ? inCond(c.cond) : (c.values.map(inTerm).find((p) => p) ?? null))).find((p) => p) ??
                op.set.map((w) => inTerm(w.value)).find((p) => p) ??
                null)
              : null;
    if (p) return p;
  }
  return null;
}

export function planIssue(error: unknown): CodegenIssue | null {
  return error instanceof PlanError ? { path: error.path, message: error.message } : null;
}
