// Guard plans and their interpreter. A plan (data, in the model's guards.ts)
// describes one guard; the stores (memory-store.ts, sql-store.ts,
// prisma-store.ts) run it in one transaction. No dependency: each store takes
// the database client as a parameter.

/** A row's primary key. */
export type RowId = string | number;
/**
 * A field value: an enum member or state name (string), an int, a bool, or a reference (the row's
 * id).
 */
export type Value = string | number | boolean;

/** A value expression of a plan. */
export type Term =
  | { readonly kind: 'const'; readonly value: Value }
  /** A guard argument: a parameter (a row id) or a local the caller read earlier. */
  | { readonly kind: 'arg'; readonly name: string }
  /** The id of the row a quantifier ranges over. */
  | { readonly kind: 'var'; readonly name: string }
  /** `row.field`; `row` denotes a row id (an arg, a var, or a reference field). */
  | {
      readonly kind: 'field';
      readonly row: Term;
      readonly resource: string;
      readonly field: string;
      // #if fencing
      /** The value when the column holds none (a fence column before the row accepted a token). */
      readonly ifNull?: Value;
      // #endif
    }
  /** `count(Resource, state)`. */
  | { readonly kind: 'count'; readonly resource: string; readonly state: string }
  | { readonly kind: 'add' | 'sub'; readonly left: Term; readonly right: Term }
  | { readonly kind: 'neg'; readonly arg: Term }
  /** A boolean condition used as a value. */
  | { readonly kind: 'cond'; readonly cond: Cond };

/** A boolean expression of a plan. */
export type Cond =
  | {
      readonly kind: 'cmp';
      readonly op: '==' | '!=' | '<' | '<=' | '>' | '>=';
      readonly left: Term;
      readonly right: Term;
    }
  | { readonly kind: 'in'; readonly value: Term; readonly items: readonly Term[] }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Cond[] }
  | { readonly kind: 'not'; readonly arg: Cond }
  /** `any(variable: resource, where)`; `all(v, p)` is planned as `not exists(v, not p)`. */
  | {
      readonly kind: 'exists';
      readonly variable: string;
      readonly resource: string;
      readonly where: Cond;
    }
  /** A boolean-valued term (a bool field or local). */
  | { readonly kind: 'truthy'; readonly term: Term }
  | { readonly kind: 'bool'; readonly value: boolean };

/** One step of a guard's plan, run in order inside one transaction. */
export type PlanOp =
  | { readonly kind: 'require'; readonly cond: Cond; readonly message: string }
  | { readonly kind: 'assert'; readonly cond: Cond; readonly message: string }
  | { readonly kind: 'read'; readonly local: string; readonly value: Term }
  | {
      readonly kind: 'write';
      readonly resource: string;
      readonly row: Term;
      readonly field: string;
      readonly value: Term;
      // #if fencing
      /**
       * A fenced write: the row keeps the highest fencing token it accepted in `fence.field`
       * and refuses a write carrying a lower one (the writer's lock lease expired and a newer
       * holder already wrote).
       */
      readonly fence?: { readonly field: string; readonly token: Term };
      // #endif
    }
  | {
      readonly kind: 'cas';
      readonly resource: string;
      readonly row: Term;
      readonly field: string;
      readonly from: readonly Value[];
      readonly to: Value;
      readonly else: 'abort' | 'skip';
      readonly message: string;
    }
  // #if update
  | {
      /**
       * A conditional update of one row (Cinder's conditional_update): every check holds →
       * every `set` value, computed on the row before the update, is written; else nothing
       * changes and the guard reports which checks failed. SQL: one
       * `UPDATE … SET … WHERE id = ? AND …` statement.
       */
      readonly kind: 'update';
      readonly resource: string;
      readonly row: Term;
      readonly checks: readonly UpdateCheck[];
      readonly set: readonly { readonly field: string; readonly value: Term }[];
      readonly message: string;
    }
  // #endif
  | {
      readonly kind: 'if';
      readonly cond: Cond;
      readonly then: readonly PlanOp[];
      readonly else: readonly PlanOp[];
    }
  | { readonly kind: 'abort'; readonly message: string }
  | { readonly kind: 'return' };

// #if update
/** A condition of an update: a field of the updated row tested against values, or a filter. */
export type UpdateCheck =
  | {
      readonly kind: 'where';
      readonly name: string;
      readonly field: string;
      readonly op: '==' | '!=' | 'in' | 'not in';
      readonly values: readonly Term[];
      /** The field is a bool: a database that stores 0/1 (SQLite) reports it as a boolean. */
      readonly bool?: true;
    }
  | { readonly kind: 'filter'; readonly name: string; readonly cond: Cond };

/** A condition an update found false: what it expected and what the row held (a filter: false). */
export interface FailedCondition<C extends string = string> {
  readonly condition: C;
  readonly expected:
    | { readonly op: '==' | '!=' | 'in' | 'not in'; readonly values: readonly Value[] }
    | { readonly op: 'holds' };
  readonly actual: Value;
}

/**
 * What an update guard resolves: the row changed, or nothing changed and `failed` lists every
 * failing condition in the model's order (`failedAs` is the first, the model's `failedAs` local).
 * `outcome` is what the model does next: abort, skip, retry later, or run its `onFail` steps.
 */
export type UpdateResult<C extends string = string> =
  | {
      readonly ok: true;
      readonly changed: true;
      readonly values: Readonly<Record<string, Value>>;
      readonly returned: false;
    }
  | {
      readonly ok: false;
      readonly changed: false;
      readonly outcome: 'abort' | 'skip' | 'retry' | 'onFail' | 'assert';
      readonly reason: string;
      readonly guard: string;
      readonly failed: readonly FailedCondition<C>[];
      readonly failedAs: C | null;
    };

/** An update guard's result from its plan's: `outcome` is the step's (else or onFail). */
export function updateResult<C extends string>(
  result: GuardResult,
  outcome: 'abort' | 'skip' | 'retry' | 'onFail',
): UpdateResult<C> {
  if (result.ok) return { ok: true, changed: true, values: result.values, returned: false };
  // The plan names exactly the guard's conditions (its `…Plan` is typed `as const`).
  const failed = (result.failed ?? []) as readonly FailedCondition<C>[];
  return {
    ok: false,
    changed: false,
    outcome: result.outcome === 'assert' ? 'assert' : outcome,
    reason: result.reason,
    guard: result.guard,
    failed,
    failedAs: failed[0]?.condition ?? null,
  };
}

/** A `where` check as a condition on the updated row. */
export function checkCond(op: { resource: string; row: Term }, check: UpdateCheck): Cond {
  if (check.kind === 'filter') return check.cond;
  const value: Term = { kind: 'field', row: op.row, resource: op.resource, field: check.field };
  switch (check.op) {
    case '==':
    case '!=':
      return { kind: 'cmp', op: check.op, left: value, right: check.values[0]! };
    case 'in':
      return { kind: 'in', value, items: check.values };
    case 'not in':
      return { kind: 'not', arg: { kind: 'in', value, items: check.values } };
  }
}

/** What an update did: changed the row, or the conditions that failed (in order). */
export type UpdateOutcome =
  | { readonly changed: true }
  | { readonly changed: false; readonly failed: readonly FailedCondition[] };

/** Evaluates every check on the current rows: the failing ones, with expected and actual values. */
export async function failedChecks(
  op: PlanOp & { kind: 'update' },
  env: Env,
  src: RowSource,
): Promise<FailedCondition[]> {
  const failed: FailedCondition[] = [];
  for (const check of op.checks) {
    if (check.kind === 'filter') {
      if (!(await evalCond(check.cond, env, src)))
        failed.push({ condition: check.name, expected: { op: 'holds' }, actual: false });
      continue;
    }
    if (await evalCond(checkCond(op, check), env, src)) continue;
    const values: Value[] = [];
    for (const v of check.values) values.push(await evalTerm(v, env, src));
    const row = await evalTerm(op.row, env, src);
    const actual = await src.field(op.resource, row, check.field);
    failed.push({ condition: check.name, expected: { op: check.op, values }, actual });
  }
  return failed;
}

/** An update through any row source: checks, then every value on the old row, then the writes. */
async function updateRows(
  op: PlanOp & { kind: 'update' },
  env: Env,
  src: RowSource,
): Promise<UpdateOutcome> {
  const failed = await failedChecks(op, env, src);
  if (failed.length) return { changed: false, failed };
  const row = await evalTerm(op.row, env, src);
  const values: Value[] = [];
  for (const s of op.set) values.push(await evalTerm(s.value, env, src));
  for (let i = 0; i < op.set.length; i++)
    await src.write(op.resource, row, op.set[i]!.field, values[i]!);
  return { changed: true };
}
// #endif

/** A guard: the operation and step it implements, its arguments and its plan. */
export interface GuardPlan {
  readonly guard: string;
  readonly operation: string;
  readonly step: string;
  /** Rows (by resource) the plan reads or writes; more than one means a transaction guard. */
  readonly resources: readonly string[];
  readonly ops: readonly PlanOp[];
}

/** Values a guard was called with: parameter ids and locals. */
export type GuardArgs = Readonly<Record<string, Value>>;

export type GuardResult =
  /**
   * The step happened; `values` holds what its reads bound; `returned` when the step ends the
   * operation.
   */
  | {
      readonly ok: true;
      readonly values: Readonly<Record<string, Value>>;
      readonly returned: boolean;
    }
  /**
   * The step did not happen and nothing changed. `outcome` is what the model does next:
   * `abort` ends the operation, `skip` goes on with the next step, `retry` tries the step again
   * later,
   * `assert` is a broken assertion (a bug, not a race).
   */
  | {
      readonly ok: false;
      readonly outcome: 'abort' | 'skip' | 'retry' | 'assert';
      readonly reason: string;
      readonly guard: string;
      // #if update
      /** An update step's failing conditions (see UpdateResult). */
      readonly failed?: readonly FailedCondition[];
      // #endif
    };

/**
 * Each resource's fields and their value types, e.g. `{ Share: { state: ShareState } }`.
 * The model's guards.ts declares its own (`Fields`), so a store typed by it only accepts
 * a resource's own states.
 */
export type Schema = { readonly [resource: string]: { readonly [field: string]: Value } };

/** What every store offers the guards; `S` types `compareAndSet` by the model's fields. */
export interface GuardStore<S extends Schema = Schema> {
  /**
   * The single-row test-and-set: sets `field` of row `id` to `to` only if it is one of `from`
   * (`UPDATE … SET field = to WHERE id = ? AND field IN (from…)`); true when the row changed.
   */
  compareAndSet<R extends keyof S & string, F extends keyof S[R] & string>(
    resource: R,
    id: RowId,
    field: F,
    from: readonly S[R][F][],
    to: S[R][F],
  ): Promise<boolean>;
  /** Runs a plan atomically (one transaction); a failed requirement rolls it back. */
  run(plan: GuardPlan, args: GuardArgs): Promise<GuardResult>;
}

/** Raised inside a plan to roll the transaction back with a result. */
export class PlanStop {
  constructor(readonly result: GuardResult) {}
}

/** A row a plan addressed does not exist. */
export class MissingRowError extends Error {
  constructor(
    readonly resource: string,
    readonly id: unknown,
  ) {
    super(`${resource} ${String(id)} does not exist`);
    this.name = 'MissingRowError';
  }
}

/** Booleans as 0/1: SQLite stores them so, and a value read back must still equal `true`. */
const norm = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

export function compareValues(
  op: '==' | '!=' | '<' | '<=' | '>' | '>=',
  x: unknown,
  y: unknown,
): boolean {
  const a = norm(x);
  const b = norm(y);
  switch (op) {
    case '==':
      return a === b || (a != null && b != null && String(a) === String(b));
    case '!=':
      return !compareValues('==', a, b);
    case '<':
      return Number(a) < Number(b);
    case '<=':
      return Number(a) <= Number(b);
    case '>':
      return Number(a) > Number(b);
    case '>=':
      return Number(a) >= Number(b);
  }
}

/** Whether a term or condition reads no row (so it can be evaluated from the arguments alone). */
export function pureTerm(term: Term): boolean {
  switch (term.kind) {
    case 'const':
    case 'arg':
      return true;
    case 'var':
    case 'field':
    case 'count':
      return false;
    case 'add':
    case 'sub':
      return pureTerm(term.left) && pureTerm(term.right);
    case 'neg':
      return pureTerm(term.arg);
    case 'cond':
      return pureCond(term.cond);
  }
}

export function pureCond(cond: Cond): boolean {
  switch (cond.kind) {
    case 'cmp':
      return pureTerm(cond.left) && pureTerm(cond.right);
    case 'in':
      return pureTerm(cond.value) && cond.items.every(pureTerm);
    case 'and':
    case 'or':
      return cond.args.every(pureCond);
    case 'not':
      return pureCond(cond.arg);
    case 'exists':
      return false;
    case 'truthy':
      return pureTerm(cond.term);
    case 'bool':
      return true;
  }
}

const TERM_KINDS: ReadonlySet<string> = new Set<Term['kind']>([
  'const',
  'arg',
  'var',
  'field',
  'count',
  'add',
  'sub',
  'neg',
  'cond',
]);

/**
 * Whether a term or condition mentions the quantified variable `name` (outside an inner quantifier
 * that rebinds it).
 */
export function usesVar(term: Term | Cond, name: string): boolean {
  return TERM_KINDS.has(term.kind)
    ? termUsesVar(term as Term, name)
    : condUsesVar(term as Cond, name);
}

function termUsesVar(term: Term, name: string): boolean {
  switch (term.kind) {
    case 'var':
      return term.name === name;
    case 'field':
      return termUsesVar(term.row, name);
    case 'add':
    case 'sub':
      return termUsesVar(term.left, name) || termUsesVar(term.right, name);
    case 'neg':
      return termUsesVar(term.arg, name);
    case 'cond':
      return condUsesVar(term.cond, name);
    case 'const':
    case 'arg':
    case 'count':
      return false;
  }
}

function condUsesVar(cond: Cond, name: string): boolean {
  switch (cond.kind) {
    case 'cmp':
      return termUsesVar(cond.left, name) || termUsesVar(cond.right, name);
    case 'in':
      return termUsesVar(cond.value, name) || cond.items.some((i) => termUsesVar(i, name));
    case 'and':
    case 'or':
      return cond.args.some((a) => condUsesVar(a, name));
    case 'not':
      return condUsesVar(cond.arg, name);
    case 'exists':
      return cond.variable !== name && condUsesVar(cond.where, name);
    case 'truthy':
      return termUsesVar(cond.term, name);
    case 'bool':
      return false;
  }
}

/**
 * Evaluates plans against any source of rows. Reads go through `field`,
 * `count` and `exists`; the memory and Prisma stores implement those.
 */
export interface RowSource {
  field(resource: string, id: unknown, field: string): Promise<Value>;
  // #if fencing
  /** The field, or null when the column holds none (fence columns). */
  fieldOrNull(resource: string, id: unknown, field: string): Promise<Value | null>;
  // #endif
  count(resource: string, state: string): Promise<number>;
  exists(cond: Cond & { kind: 'exists' }, env: Env): Promise<boolean>;
  /** Writes the field of an existing row (MissingRowError when there is none). */
  write(resource: string, id: unknown, field: string, value: Value): Promise<void>;
  // #if fencing
  /**
   * Writes the field only when `fence.token` is not lower than the token the row holds; false:
   * fenced out.
   */
  writeFenced(
    resource: string,
    id: unknown,
    field: string,
    value: Value,
    fence: Fence,
  ): Promise<boolean>;
  // #endif
  compareAndSet(
    resource: string,
    id: unknown,
    field: string,
    from: readonly Value[],
    to: Value,
  ): Promise<boolean>;
  // #if update
  /** A store's own conditional update (SQL: one UPDATE statement); else checks, then writes. */
  update?(op: PlanOp & { kind: 'update' }, env: Env): Promise<UpdateOutcome>;
  // #endif
}

// #if fencing
/** The column keeping the highest fencing token a row accepted, and the writer's token. */
export interface Fence {
  readonly field: string;
  readonly token: Value;
}
// #endif

export interface Env {
  readonly args: Record<string, Value>;
  readonly vars: Readonly<Record<string, Value>>;
}

// Model names are keys here, and any identifier is a valid name (`constructor`, `__proto__`):
// read own keys only, and define rather than assign (assigning `__proto__` sets the prototype).
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
export const setOwn = (record: Record<string, Value>, key: string, value: Value): void => {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
};

export async function evalTerm(term: Term, env: Env, src: RowSource): Promise<Value> {
  switch (term.kind) {
    case 'const':
      return term.value;
    case 'arg': {
      const v = own(env.args, term.name);
      if (v === undefined) throw new TypeError(`guard argument '${term.name}' is missing`);
      return v;
    }
    case 'var': {
      const v = own(env.vars, term.name);
      if (v === undefined) throw new TypeError(`quantified variable '${term.name}' is unbound`);
      return v;
    }
    case 'field': {
      const row = await evalTerm(term.row, env, src);
      // #if fencing
      if (term.ifNull !== undefined)
        return (await src.fieldOrNull(term.resource, row, term.field)) ?? term.ifNull;
      // #endif
      return src.field(term.resource, row, term.field);
    }
    case 'count':
      return src.count(term.resource, term.state);
    case 'add':
      return (
        Number(await evalTerm(term.left, env, src)) + Number(await evalTerm(term.right, env, src))
      );
    case 'sub':
      return (
        Number(await evalTerm(term.left, env, src)) - Number(await evalTerm(term.right, env, src))
      );
    case 'neg':
      return -Number(await evalTerm(term.arg, env, src));
    case 'cond':
      return evalCond(term.cond, env, src);
  }
}

export async function evalCond(cond: Cond, env: Env, src: RowSource): Promise<boolean> {
  switch (cond.kind) {
    case 'cmp':
      return compareValues(
        cond.op,
        await evalTerm(cond.left, env, src),
        await evalTerm(cond.right, env, src),
      );
    case 'in': {
      const v = await evalTerm(cond.value, env, src);
      for (const item of cond.items)
        if (compareValues('==', v, await evalTerm(item, env, src))) return true;
      return false;
    }
    case 'and':
      for (const a of cond.args) if (!(await evalCond(a, env, src))) return false;
      return true;
    case 'or':
      for (const a of cond.args) if (await evalCond(a, env, src)) return true;
      return false;
    case 'not':
      return !(await evalCond(cond.arg, env, src));
    case 'exists':
      return src.exists(cond, env);
    case 'truthy': {
      const v = await evalTerm(cond.term, env, src);
      return v === true || v === 1 || v === '1' || v === 'true';
    }
    case 'bool':
      return cond.value;
  }
}

export function stop(
  plan: GuardPlan,
  outcome: 'abort' | 'skip' | 'retry' | 'assert',
  reason: string,
): PlanStop {
  return new PlanStop({ ok: false, outcome, reason, guard: plan.guard });
}

/**
 * Runs a plan's ops in order; throws PlanStop to roll back. Returns true when a `return` ended it.
 */
export async function runOps(
  plan: GuardPlan,
  ops: readonly PlanOp[],
  env: Env,
  values: Record<string, Value>,
  src: RowSource,
): Promise<boolean> {
  for (const op of ops) {
    switch (op.kind) {
      case 'require':
        if (!(await evalCond(op.cond, env, src))) throw stop(plan, 'abort', op.message);
        break;
      case 'assert':
        if (!(await evalCond(op.cond, env, src)))
          throw stop(plan, 'assert', `assertion failed: ${op.message}`);
        break;
      case 'read': {
        const v = await evalTerm(op.value, env, src);
        setOwn(env.args, op.local, v);
        setOwn(values, op.local, v);
        break;
      }
      case 'write': {
        // #if fencing
        if (op.fence) {
          const fence = { field: op.fence.field, token: await evalTerm(op.fence.token, env, src) };
          const row = await evalTerm(op.row, env, src);
          const accepted = await src.writeFenced(
            op.resource,
            row,
            op.field,
            await evalTerm(op.value, env, src),
            fence,
          );
          if (!accepted)
            throw stop(plan, 'abort', 'fenced out: a newer fencing token was already accepted');
          break;
        }
        // #endif
        await src.write(
          op.resource,
          await evalTerm(op.row, env, src),
          op.field,
          await evalTerm(op.value, env, src),
        );
        break;
      }
      case 'cas': {
        const changed = await src.compareAndSet(
          op.resource,
          await evalTerm(op.row, env, src),
          op.field,
          op.from,
          op.to,
        );
        if (!changed && op.else === 'abort') throw stop(plan, 'abort', op.message);
        break;
      }
      // #if update
      case 'update': {
        const outcome = src.update ? await src.update(op, env) : await updateRows(op, env, src);
        if (!outcome.changed) {
          const { guard } = plan;
          const failed = outcome.failed;
          throw new PlanStop({ ok: false, outcome: 'abort', reason: op.message, guard, failed });
        }
        break;
      }
      // #endif
      case 'if':
        if (
          await runOps(
            plan,
            (await evalCond(op.cond, env, src)) ? op.then : op.else,
            env,
            values,
            src,
          )
        )
          return true;
        break;
      case 'abort':
        throw stop(plan, 'abort', op.message);
      case 'return':
        return true;
    }
  }
  return false;
}

export async function runPlan(
  plan: GuardPlan,
  args: GuardArgs,
  src: RowSource,
): Promise<GuardResult> {
  const values: Record<string, Value> = {};
  try {
    const returned = await runOps(plan, plan.ops, { args: { ...args }, vars: {} }, values, src);
    return { ok: true, values, returned };
  } catch (error) {
    if (error instanceof PlanStop) return error.result;
    throw error;
  }
}

/** Waits `ms` milliseconds (the drivers back off before retrying a transaction). */
export const sleep = (ms: number) =>
  new Promise<void>((resolve) =>
    (globalThis as unknown as { setTimeout(cb: () => void, ms: number): unknown }).setTimeout(
      resolve,
      ms,
    ),
  );

/** A value a database returned, as a plan value (SQLite's bigint counts become numbers). */
export function plainValue(v: unknown): Value {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new TypeError(`unexpected SQL value ${String(v)}`);
}
