// ─── Guard runtime ───────────────────────────────────────────────────────────
// Plans (data) describe each guard; three stores interpret them: memory, plain
// parameterized SQL (PostgreSQL `$1`, SQLite `?`) and Prisma. No dependency:
// each store takes the database client as a parameter.

/** A row's primary key. */
export type RowId = string | number;
/** A field value: an enum member or state name (string), an int, a bool, or a reference (the row's id). */
export type Value = string | number | boolean;

/** A value expression of a plan. */
export type Term =
  | { readonly t: 'const'; readonly value: Value }
  /** A guard argument: a parameter (a row id) or a local the caller read earlier. */
  | { readonly t: 'arg'; readonly name: string }
  /** The id of the row a quantifier ranges over. */
  | { readonly t: 'var'; readonly name: string }
  /** `row.field`; `row` denotes a row id (an arg, a var, or a reference field). */
  | { readonly t: 'field'; readonly row: Term; readonly resource: string; readonly field: string }
  /** `count(Resource, state)`. */
  | { readonly t: 'count'; readonly resource: string; readonly state: string }
  | { readonly t: 'add' | 'sub'; readonly left: Term; readonly right: Term }
  | { readonly t: 'neg'; readonly arg: Term }
  /** A boolean condition used as a value. */
  | { readonly t: 'cond'; readonly cond: Cond };

/** A boolean expression of a plan. */
export type Cond =
  | { readonly c: 'cmp'; readonly op: '==' | '!=' | '<' | '<=' | '>' | '>='; readonly left: Term; readonly right: Term }
  | { readonly c: 'in'; readonly value: Term; readonly items: readonly Term[] }
  | { readonly c: 'and' | 'or'; readonly args: readonly Cond[] }
  | { readonly c: 'not'; readonly arg: Cond }
  /** `any(variable: resource, where)`; `all(v, p)` is planned as `not exists(v, not p)`. */
  | { readonly c: 'exists'; readonly variable: string; readonly resource: string; readonly where: Cond }
  /** A boolean-valued term (a bool field or local). */
  | { readonly c: 'truthy'; readonly term: Term }
  | { readonly c: 'bool'; readonly value: boolean };

/** One step of a guard's plan, run in order inside one transaction. */
export type PlanOp =
  | { readonly op: 'require'; readonly cond: Cond; readonly message: string }
  | { readonly op: 'assert'; readonly cond: Cond; readonly message: string }
  | { readonly op: 'read'; readonly local: string; readonly value: Term }
  | {
      readonly op: 'write';
      readonly resource: string;
      readonly row: Term;
      readonly field: string;
      readonly value: Term;
      /**
       * A fenced write: the row keeps the highest fencing token it accepted in `fence.field`
       * and refuses a write carrying a lower one (the writer's lock lease expired and a newer
       * holder already wrote).
       */
      readonly fence?: { readonly field: string; readonly token: Term };
    }
  | {
      readonly op: 'cas';
      readonly resource: string;
      readonly row: Term;
      readonly field: string;
      readonly from: readonly Value[];
      readonly to: Value;
      readonly else: 'abort' | 'skip';
      readonly message: string;
    }
  | { readonly op: 'if'; readonly cond: Cond; readonly then: readonly PlanOp[]; readonly else: readonly PlanOp[] }
  | { readonly op: 'abort'; readonly message: string }
  | { readonly op: 'return' };

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
  /** The step happened; `values` holds what its reads bound; `returned` when the step ends the operation. */
  | { readonly ok: true; readonly values: Readonly<Record<string, Value>>; readonly returned: boolean }
  /**
   * The step did not happen and nothing changed. `outcome` is what the model does next:
   * `abort` ends the operation, `skip` goes on with the next step, `retry` tries the step again later,
   * `assert` is a broken assertion (a bug, not a race).
   */
  | { readonly ok: false; readonly outcome: 'abort' | 'skip' | 'retry' | 'assert'; readonly reason: string; readonly guard: string };

/** What every store offers the guards. */
export interface GuardStore {
  /**
   * The single-row test-and-set: sets `field` of row `id` to `to` only if it is one of `from`
   * (`UPDATE … SET field = to WHERE id = ? AND field IN (from…)`); true when the row changed.
   */
  compareAndSet(resource: string, id: RowId, field: string, from: readonly Value[], to: Value): Promise<boolean>;
  /** Runs a plan atomically (one transaction); a failed requirement rolls it back. */
  run(plan: GuardPlan, args: GuardArgs): Promise<GuardResult>;
}

/** Raised inside a plan to roll the transaction back with a result. */
class PlanStop {
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

function compareValues(op: '==' | '!=' | '<' | '<=' | '>' | '>=', x: unknown, y: unknown): boolean {
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
function pureTerm(term: Term): boolean {
  switch (term.t) {
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

function pureCond(cond: Cond): boolean {
  switch (cond.c) {
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

/** Whether a term or condition mentions the quantified variable `name` (outside an inner quantifier that rebinds it). */
export function usesVar(term: Term | Cond, name: string): boolean {
  if ('t' in term) {
    switch (term.t) {
      case 'var':
        return term.name === name;
      case 'field':
        return usesVar(term.row, name);
      case 'add':
      case 'sub':
        return usesVar(term.left, name) || usesVar(term.right, name);
      case 'neg':
        return usesVar(term.arg, name);
      case 'cond':
        return usesVar(term.cond, name);
      default:
        return false;
    }
  }
  switch (term.c) {
    case 'cmp':
      return usesVar(term.left, name) || usesVar(term.right, name);
    case 'in':
      return usesVar(term.value, name) || term.items.some((i) => usesVar(i, name));
    case 'and':
    case 'or':
      return term.args.some((a) => usesVar(a, name));
    case 'not':
      return usesVar(term.arg, name);
    case 'exists':
      return term.variable !== name && usesVar(term.where, name);
    case 'truthy':
      return usesVar(term.term, name);
    case 'bool':
      return false;
  }
}

/**
 * Evaluates plans against any source of rows. Reads go through `field`,
 * `count` and `exists`; the memory and Prisma stores implement those.
 */
interface RowSource {
  field(resource: string, id: unknown, field: string): Promise<Value>;
  count(resource: string, state: string): Promise<number>;
  exists(cond: Cond & { c: 'exists' }, env: Env): Promise<boolean>;
  /** Writes the field; with a fence, only when the token is not lower than the one the row holds (false: fenced out). */
  write(resource: string, id: unknown, field: string, value: Value, fence?: { field: string; token: Value }): Promise<boolean>;
  compareAndSet(resource: string, id: unknown, field: string, from: readonly Value[], to: Value): Promise<boolean>;
}

interface Env {
  readonly args: Record<string, Value>;
  readonly vars: Readonly<Record<string, Value>>;
}

// Model names are keys here, and any identifier is a valid name (`constructor`, `__proto__`):
// read own keys only, and define rather than assign (assigning `__proto__` sets the prototype).
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
const setOwn = (record: Record<string, Value>, key: string, value: Value): void => {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
};

async function evalTerm(term: Term, env: Env, src: RowSource): Promise<Value> {
  switch (term.t) {
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
    case 'field':
      return src.field(term.resource, await evalTerm(term.row, env, src), term.field);
    case 'count':
      return src.count(term.resource, term.state);
    case 'add':
      return Number(await evalTerm(term.left, env, src)) + Number(await evalTerm(term.right, env, src));
    case 'sub':
      return Number(await evalTerm(term.left, env, src)) - Number(await evalTerm(term.right, env, src));
    case 'neg':
      return -Number(await evalTerm(term.arg, env, src));
    case 'cond':
      return evalCond(term.cond, env, src);
  }
}

async function evalCond(cond: Cond, env: Env, src: RowSource): Promise<boolean> {
  switch (cond.c) {
    case 'cmp':
      return compareValues(cond.op, await evalTerm(cond.left, env, src), await evalTerm(cond.right, env, src));
    case 'in': {
      const v = await evalTerm(cond.value, env, src);
      for (const item of cond.items) if (compareValues('==', v, await evalTerm(item, env, src))) return true;
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

function stop(plan: GuardPlan, outcome: 'abort' | 'skip' | 'retry' | 'assert', reason: string): PlanStop {
  return new PlanStop({ ok: false, outcome, reason, guard: plan.guard });
}

/** Runs a plan's ops in order; throws PlanStop to roll back. Returns true when a `return` ended it. */
async function runOps(plan: GuardPlan, ops: readonly PlanOp[], env: Env, values: Record<string, Value>, src: RowSource): Promise<boolean> {
  for (const op of ops) {
    switch (op.op) {
      case 'require':
        if (!(await evalCond(op.cond, env, src))) throw stop(plan, 'abort', op.message);
        break;
      case 'assert':
        if (!(await evalCond(op.cond, env, src))) throw stop(plan, 'assert', `assertion failed: ${op.message}`);
        break;
      case 'read': {
        const v = await evalTerm(op.value, env, src);
        setOwn(env.args, op.local, v);
        setOwn(values, op.local, v);
        break;
      }
      case 'write': {
        const fence = op.fence ? { field: op.fence.field, token: await evalTerm(op.fence.token, env, src) } : undefined;
        const accepted = await src.write(op.resource, await evalTerm(op.row, env, src), op.field, await evalTerm(op.value, env, src), fence);
        if (!accepted) throw stop(plan, 'abort', 'fenced out: a newer fencing token was already accepted');
        break;
      }
      case 'cas': {
        const changed = await src.compareAndSet(op.resource, await evalTerm(op.row, env, src), op.field, op.from, op.to);
        if (!changed && op.else === 'abort') throw stop(plan, 'abort', op.message);
        break;
      }
      case 'if':
        if (await runOps(plan, (await evalCond(op.cond, env, src)) ? op.then : op.else, env, values, src)) return true;
        break;
      case 'abort':
        throw stop(plan, 'abort', op.message);
      case 'return':
        return true;
    }
  }
  return false;
}

async function runPlan(plan: GuardPlan, args: GuardArgs, src: RowSource): Promise<GuardResult> {
  const values: Record<string, Value> = {};
  try {
    const returned = await runOps(plan, plan.ops, { args: { ...args }, vars: {} }, values, src);
    return { ok: true, values, returned };
  } catch (error) {
    if (error instanceof PlanStop) return error.result;
    throw error;
  }
}

// ─── Memory store ────────────────────────────────────────────────────────────

/** Rows by resource, then by id; each row holds `state` and the other fields by model name. */
export type MemoryRows = Record<string, Map<RowId, Record<string, Value>>>;

/**
 * An in-memory store, for tests and single-process prototypes. Every guard runs
 * to completion without yielding to other tasks, so it is atomic in one process.
 */
export function memoryStore(rows: MemoryRows): GuardStore {
  const table = (resource: string) => {
    const t = own(rows, resource);
    if (!t) throw new TypeError(`memory store has no table for ${resource}`);
    return t;
  };
  const row = (resource: string, id: unknown): Record<string, Value> => {
    const r = table(resource).get(id as RowId);
    if (!r) throw new MissingRowError(resource, id);
    return r;
  };
  // Writes are buffered so a failed plan leaves the rows untouched.
  const makeSource = (pending: Map<Record<string, Value>, Record<string, Value>>): RowSource => {
    const current = (r: Record<string, Value>) => pending.get(r) ?? r;
    const source: RowSource = {
      field: async (resource, id, field) => {
        const v = own(current(row(resource, id)), field);
        if (v === undefined) throw new TypeError(`${resource} ${String(id)} has no field ${field}`);
        return v;
      },
      count: async (resource, state) => [...table(resource).values()].filter((r) => current(r).state === state).length,
      exists: async (cond, env) => {
        for (const id of table(cond.resource).keys()) {
          if (await evalCond(cond.where, { args: env.args, vars: { ...env.vars, [cond.variable]: id } }, source)) return true;
        }
        return false;
      },
      write: async (resource, id, field, value, fence) => {
        const r = row(resource, id);
        if (fence) {
          const held = own(current(r), fence.field);
          if (held !== undefined && Number(held) > Number(fence.token)) return false;
          pending.set(r, { ...current(r), [field]: value, [fence.field]: fence.token });
          return true;
        }
        pending.set(r, { ...current(r), [field]: value });
        return true;
      },
      compareAndSet: async (resource, id, field, from, to) => {
        const r = row(resource, id);
        const v = own(current(r), field);
        if (!from.some((f) => compareValues('==', v, f))) return false;
        pending.set(r, { ...current(r), [field]: to });
        return true;
      },
    };
    return source;
  };
  // One plan at a time: a plan's reads and writes see no other plan's in between.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const commit = (pending: Map<Record<string, Value>, Record<string, Value>>) => {
    for (const [r, next] of pending) Object.assign(r, next);
  };
  return {
    compareAndSet: (resource, id, field, from, to) =>
      exclusive(async () => {
        const pending = new Map<Record<string, Value>, Record<string, Value>>();
        const changed = await makeSource(pending).compareAndSet(resource, id, field, from, to);
        commit(pending);
        return changed;
      }),
    run: (plan, args) =>
      exclusive(async () => {
        const pending = new Map<Record<string, Value>, Record<string, Value>>();
        const result = await runPlan(plan, args, makeSource(pending));
        if (result.ok) commit(pending);
        return result;
      }),
  };
}

// ─── SQL ─────────────────────────────────────────────────────────────────────

/** Where a resource lives in SQL: its table, id column, and one column per model field (`state` included). */
export interface SqlTable {
  readonly table: string;
  readonly id: string;
  readonly columns: Readonly<Record<string, string>>;
}
export type SqlMapping = Readonly<Record<string, SqlTable>>;

/** A parameter value as the drivers accept it. */
export type SqlParam = string | number | boolean;

/** One connection inside a transaction. */
export interface SqlSession {
  /** Runs one statement; `changes` is the number of rows it changed, `rows` what it returned. */
  execute(sql: string, params: readonly SqlParam[]): Promise<{ changes: number; rows: readonly Record<string, unknown>[] }>;
}

/** A database the SQL store can use: see `pgDriver` and `sqliteDriver`. */
export interface SqlDriver {
  readonly dialect: 'postgres' | 'sqlite';
  /**
   * Runs `fn` in one SERIALIZABLE transaction and commits, retrying the whole
   * function when the database reports a serialization failure or deadlock.
   * Rolls back when `fn` throws.
   */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => (globalThis as unknown as { setTimeout(cb: () => void, ms: number): unknown }).setTimeout(resolve, ms));

/** What `pgDriver` needs of `pg.Pool` (or any pool with the same shape). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}
export interface PgClientLike {
  query(text: string, values?: any[]): Promise<{ rowCount: number | null; rows: any[] }>;
  release(error?: any): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * PostgreSQL through `pg`'s Pool. Every transaction takes its own connection,
 * runs at SERIALIZABLE and is retried (up to `maxAttempts`, default 50) on SQLSTATE 40001
 * (serialization failure) and 40P01 (deadlock).
 */
export function pgDriver(pool: PgPoolLike, options: { maxAttempts?: number } = {}): SqlDriver {
  const maxAttempts = options.maxAttempts ?? 50;
  return {
    dialect: 'postgres',
    async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: unknown = undefined;
        // A connection lost between statements must reject this transaction, not crash the process.
        const onError = (error: Error) => {
          broken = error;
        };
        client.on?.('error', onError);
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const session: SqlSession = {
            async execute(sql, params) {
              const r = await client.query(sql, params as SqlParam[]);
              return { changes: r.rowCount ?? 0, rows: r.rows };
            },
          };
          const result = await fn(session);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError;
          }
          const code = (error as { code?: unknown } | null)?.code;
          if ((code === '40001' || code === '40P01') && attempt < maxAttempts) {
            await sleep(Math.random() * Math.min(50, 2 * attempt));
            continue;
          }
          throw error;
        } finally {
          client.off?.('error', onError);
          client.release(broken);
        }
      }
    },
  };
}

/** What `sqliteDriver` needs of a `better-sqlite3` Database. */
export interface BetterSqlite3Like {
  prepare(sql: string): { readonly reader: boolean; run(...params: any[]): { changes: number }; all(...params: any[]): unknown[] };
  exec(sql: string): unknown;
}

/**
 * SQLite through `better-sqlite3`. Transactions start with BEGIN IMMEDIATE, which
 * takes SQLite's single write lock before the first read: transactions on one
 * database file then run one at a time, i.e. serializably. Open the database with
 * a busy timeout (`new Database(file, { timeout })`) so other processes wait for
 * the lock instead of failing. Transactions on one connection are queued.
 */
export function sqliteDriver(db: BetterSqlite3Like, options: { maxAttempts?: number } = {}): SqlDriver {
  const maxAttempts = options.maxAttempts ?? 50;
  let queue: Promise<unknown> = Promise.resolve();
  const session: SqlSession = {
    async execute(sql, params) {
      const stmt = db.prepare(sql);
      const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
      if (stmt.reader) return { changes: 0, rows: stmt.all(...bound) as Record<string, unknown>[] };
      return { changes: stmt.run(...bound).changes, rows: [] };
    },
  };
  const once = async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && code.startsWith('SQLITE_BUSY') && attempt < maxAttempts) {
          await sleep(Math.random() * Math.min(50, 2 * attempt));
          continue;
        }
        throw error;
      }
      try {
        const result = await fn(session);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // the transaction is already gone
        }
        throw error;
      }
    }
  };
  return {
    dialect: 'sqlite',
    transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      const next = queue.then(
        () => once(fn),
        () => once(fn),
      );
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Quotes an SQL identifier (`"name"`, doubling any `"`). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Renders plan terms and conditions to SQL with placeholders; pure parts are evaluated here and passed as parameters. */
class SqlRenderer {
  readonly params: SqlParam[] = [];
  constructor(
    readonly dialect: 'postgres' | 'sqlite',
    readonly mapping: SqlMapping,
    readonly args: Readonly<Record<string, Value>>,
  ) {}

  param(value: Value): string {
    this.params.push(value);
    return this.dialect === 'postgres' ? `$${this.params.length}` : '?';
  }

  table(resource: string): SqlTable {
    const t = own(this.mapping, resource);
    if (!t) throw new TypeError(`the SQL mapping has no table for ${resource}`);
    return t;
  }

  column(resource: string, field: string): string {
    const c = own(this.table(resource).columns, field);
    if (!c) throw new TypeError(`the SQL mapping has no column for ${resource}.${field}`);
    return quoteIdent(c);
  }

  async pure(term: Term): Promise<Value> {
    return evalTerm(term, { args: { ...this.args }, vars: {} }, NO_ROWS);
  }

  async term(term: Term): Promise<string> {
    if (pureTerm(term)) {
      const v = await this.pure(term);
      return typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : this.param(v);
    }
    switch (term.t) {
      case 'var':
        return `${quoteIdent(term.name)}.${quoteIdent(this.table(this.varResource(term.name)).id)}`;
      case 'field': {
        if (term.row.t === 'var') return `${quoteIdent(term.row.name)}.${this.column(term.resource, term.field)}`;
        const t = this.table(term.resource);
        return `(SELECT ${this.column(term.resource, term.field)} FROM ${quoteIdent(t.table)} WHERE ${quoteIdent(t.id)} = ${await this.term(term.row)})`;
      }
      case 'count': {
        const t = this.table(term.resource);
        return `(SELECT COUNT(*) FROM ${quoteIdent(t.table)} WHERE ${this.column(term.resource, 'state')} = ${this.param(term.state)})`;
      }
      case 'add':
      case 'sub':
        return `(${await this.term(term.left)} ${term.t === 'add' ? '+' : '-'} ${await this.term(term.right)})`;
      case 'neg':
        return `(-${await this.term(term.arg)})`;
      case 'cond':
        return `(${await this.cond(term.cond)})`;
      default:
        throw new TypeError(`cannot render ${term.t}`);
    }
  }

  private vars: Array<[string, string]> = [];
  private varResource(name: string): string {
    for (const [variable, resource] of [...this.vars].reverse()) if (variable === name) return resource;
    throw new TypeError(`quantified variable '${name}' is unbound`);
  }

  async cond(cond: Cond): Promise<string> {
    if (pureCond(cond)) return (await evalCond(cond, { args: { ...this.args }, vars: {} }, NO_ROWS)) ? 'TRUE' : 'FALSE';
    switch (cond.c) {
      case 'cmp': {
        const op = cond.op === '==' ? '=' : cond.op === '!=' ? '<>' : cond.op;
        return `${await this.term(cond.left)} ${op} ${await this.term(cond.right)}`;
      }
      case 'in': {
        // Rendered left to right: SQLite's `?` placeholders bind in textual order.
        const value = await this.term(cond.value);
        const items: string[] = [];
        for (const item of cond.items) items.push(await this.term(item));
        return items.length ? `${value} IN (${items.join(', ')})` : 'FALSE';
      }
      case 'and':
      case 'or': {
        const parts: string[] = [];
        for (const a of cond.args) parts.push(`(${await this.cond(a)})`);
        return parts.length ? parts.join(cond.c === 'and' ? ' AND ' : ' OR ') : cond.c === 'and' ? 'TRUE' : 'FALSE';
      }
      case 'not':
        // COALESCE: a comparison with a missing (NULL) value counts as false, as the model has no NULL.
        return `NOT COALESCE((${await this.cond(cond.arg)}), FALSE)`;
      case 'exists': {
        const t = this.table(cond.resource);
        this.vars.push([cond.variable, cond.resource]);
        try {
          return `EXISTS (SELECT 1 FROM ${quoteIdent(t.table)} AS ${quoteIdent(cond.variable)} WHERE COALESCE((${await this.cond(cond.where)}), FALSE))`;
        } finally {
          this.vars.pop();
        }
      }
      case 'truthy':
        return `${await this.term(cond.term)} = ${this.dialect === 'postgres' ? 'TRUE' : '1'}`;
      default:
        throw new TypeError(`cannot render ${cond.c}`);
    }
  }
}

/** A source for evaluating pure terms: touching a row is a bug. */
const NO_ROWS: RowSource = {
  field: () => Promise.reject(new TypeError('not a pure term')),
  count: () => Promise.reject(new TypeError('not a pure term')),
  exists: () => Promise.reject(new TypeError('not a pure term')),
  write: () => Promise.reject(new TypeError('not a pure term')),
  compareAndSet: () => Promise.reject(new TypeError('not a pure term')),
};

function sqlValue(v: unknown): Value {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new TypeError(`unexpected SQL value ${String(v)}`);
}

/**
 * The SQL store. A single-row `compareAndSet` is one conditional UPDATE:
 *   UPDATE "share" SET "status" = $1 WHERE "id" = $2 AND "status" IN ($3)
 * and succeeds when exactly one row changed. A plan runs in one SERIALIZABLE
 * transaction (see the driver): requirements are `SELECT CASE WHEN … THEN 1 ELSE 0 END`
 * with quantifiers as `EXISTS`/`NOT EXISTS` subqueries, writes are UPDATEs by id.
 */
export function sqlStore(driver: SqlDriver, mapping: SqlMapping): GuardStore {
  const renderer = (args: Readonly<Record<string, Value>>) => new SqlRenderer(driver.dialect, mapping, args);
  const cas = async (session: SqlSession, resource: string, id: Value, field: string, from: readonly Value[], to: Value) => {
    if (from.length === 0) return false;
    const r = renderer({});
    const t = r.table(resource);
    const col = r.column(resource, field);
    const sql = `UPDATE ${quoteIdent(t.table)} SET ${col} = ${r.param(to)} WHERE ${quoteIdent(t.id)} = ${r.param(id)} AND ${col} IN (${from.map((f) => r.param(f)).join(', ')})`;
    const { changes } = await session.execute(sql, r.params);
    return changes === 1;
  };
  const source = (session: SqlSession): RowSource => ({
    async field(resource, id, field) {
      const r = renderer({});
      const t = r.table(resource);
      const { rows } = await session.execute(
        `SELECT ${r.column(resource, field)} AS v FROM ${quoteIdent(t.table)} WHERE ${quoteIdent(t.id)} = ${r.param(sqlValue(id))}`,
        r.params,
      );
      if (rows.length === 0) throw new MissingRowError(resource, id);
      return sqlValue(rows[0]?.v);
    },
    async count(resource, state) {
      const r = renderer({});
      const { rows } = await session.execute(`SELECT ${await r.term({ t: 'count', resource, state })} AS v`, r.params);
      return Number(rows[0]?.v);
    },
    async exists(cond, env) {
      const r = renderer(env.args);
      const { rows } = await session.execute(`SELECT CASE WHEN ${await r.cond(cond)} THEN 1 ELSE 0 END AS v`, r.params);
      return Number(rows[0]?.v) === 1;
    },
    async write(resource, id, field, value, fence) {
      const r = renderer({});
      const t = r.table(resource);
      const set = `${r.column(resource, field)} = ${r.param(value)}`;
      if (!fence) {
        const { changes } = await session.execute(`UPDATE ${quoteIdent(t.table)} SET ${set} WHERE ${quoteIdent(t.id)} = ${r.param(sqlValue(id))}`, r.params);
        if (changes !== 1) throw new MissingRowError(resource, id);
        return true;
      }
      // UPDATE … SET field = $1, fence = $2 WHERE id = $3 AND (fence IS NULL OR fence <= $4)
      const fenceCol = r.column(resource, fence.field);
      const sql = `UPDATE ${quoteIdent(t.table)} SET ${set}, ${fenceCol} = ${r.param(fence.token)} WHERE ${quoteIdent(t.id)} = ${r.param(sqlValue(id))} AND (${fenceCol} IS NULL OR ${fenceCol} <= ${r.param(fence.token)})`;
      const { changes } = await session.execute(sql, r.params);
      if (changes === 1) return true;
      const check = renderer({});
      const { rows } = await session.execute(`SELECT 1 AS v FROM ${quoteIdent(t.table)} WHERE ${quoteIdent(t.id)} = ${check.param(sqlValue(id))}`, check.params);
      if (rows.length === 0) throw new MissingRowError(resource, id);
      return false;
    },
    compareAndSet: (resource, id, field, from, to) => cas(session, resource, sqlValue(id), field, from, to),
  });
  return {
    compareAndSet: (resource, id, field, from, to) => driver.transaction((session) => cas(session, resource, id, field, from, to)),
    async run(plan, args) {
      const result = await driver.transaction(async (session) => {
        const r = await runPlanSql(plan, args, session, source(session), renderer);
        if (!r.ok) throw new PlanStop(r); // roll back
        return r;
      }).catch((error: unknown) => {
        if (error instanceof PlanStop) return error.result;
        throw error;
      });
      return result;
    },
  };
}

/** Runs a plan with every requirement evaluated by the database in one statement. */
async function runPlanSql(
  plan: GuardPlan,
  args: GuardArgs,
  session: SqlSession,
  src: RowSource,
  renderer: (args: Readonly<Record<string, Value>>) => SqlRenderer,
): Promise<GuardResult> {
  const check = async (cond: Cond, env: Env): Promise<boolean> => {
    const r = renderer(env.args);
    const { rows } = await session.execute(`SELECT CASE WHEN ${await r.cond(cond)} THEN 1 ELSE 0 END AS ok`, r.params);
    return Number(rows[0]?.ok) === 1;
  };
  const values: Record<string, Value> = {};
  const env: Env = { args: { ...args }, vars: {} };
  const exec = async (ops: readonly PlanOp[]): Promise<boolean> => {
    for (const op of ops) {
      switch (op.op) {
        case 'require':
          if (!(await check(op.cond, env))) throw stop(plan, 'abort', op.message);
          break;
        case 'assert':
          if (!(await check(op.cond, env))) throw stop(plan, 'assert', `assertion failed: ${op.message}`);
          break;
        case 'if':
          if (await exec((await check(op.cond, env)) ? op.then : op.else)) return true;
          break;
        default:
          if (await runOps(plan, [op], env, values, src)) return true;
      }
    }
    return false;
  };
  try {
    const returned = await exec(plan.ops);
    return { ok: true, values, returned };
  } catch (error) {
    if (error instanceof PlanStop) return error.result;
    throw error;
  }
}

// ─── Prisma ──────────────────────────────────────────────────────────────────

/** Where a resource lives in Prisma: the client's model delegate (`share` for `prisma.share`) and one field per model field. */
export interface PrismaModel {
  readonly model: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}
export type PrismaMapping = Readonly<Record<string, PrismaModel>>;

/** The part of a model delegate the Prisma store uses. */
export interface PrismaDelegateLike {
  updateMany(args: any): PromiseLike<{ count: number }>;
  count(args: any): PromiseLike<number>;
  findUnique(args: any): PromiseLike<any>;
}
/** The part of a PrismaClient the Prisma store uses (the client or a transaction client). */
export interface PrismaClientLike {
  $transaction(fn: (tx: any) => Promise<any>, options?: { isolationLevel?: any; maxWait?: number; timeout?: number }): Promise<any>;
}

type PrismaWhere = Record<string, unknown>;

/**
 * The Prisma store. A single-row test-and-set is
 *   prisma.share.updateMany({ where: { id, status: { in: from } }, data: { status: to } })
 * and succeeds when `count === 1`. A plan runs in an interactive `$transaction` at
 * Serializable isolation, retried on write conflicts (P2034); a quantifier is a
 * `count({ where })` on the quantified model.
 */
export function prismaStore(client: PrismaClientLike, mapping: PrismaMapping, options: { maxAttempts?: number } = {}): GuardStore {
  const maxAttempts = options.maxAttempts ?? 50;
  const model = (resource: string): PrismaModel => {
    const m = own(mapping, resource);
    if (!m) throw new TypeError(`the Prisma mapping has no model for ${resource}`);
    return m;
  };
  const fieldName = (resource: string, field: string): string => {
    const f = own(model(resource).fields, field);
    if (!f) throw new TypeError(`the Prisma mapping has no field for ${resource}.${field}`);
    return f;
  };
  const delegate = (tx: unknown, resource: string): PrismaDelegateLike => {
    const d = (tx as Record<string, PrismaDelegateLike | undefined>)[model(resource).model];
    if (!d || typeof d.updateMany !== 'function') throw new TypeError(`the Prisma client has no model '${model(resource).model}' (for ${resource})`);
    return d;
  };
  const cas = async (tx: unknown, resource: string, id: unknown, field: string, from: readonly Value[], to: Value) => {
    const f = fieldName(resource, field);
    const { count } = await delegate(tx, resource).updateMany({ where: { [model(resource).id]: id, [f]: { in: [...from] } }, data: { [f]: to } });
    return count === 1;
  };
  /** A condition on the quantified row as a Prisma `where`; everything not about that row is evaluated first. */
  const where = async (cond: Cond, variable: string, resource: string, env: Env, src: RowSource): Promise<PrismaWhere> => {
    if (!usesVar(cond, variable)) return (await evalCond(cond, env, src)) ? {} : { OR: [] };
    const side = (term: Term): string | null => {
      if (term.t === 'var' && term.name === variable) return model(resource).id;
      if (term.t === 'field' && term.row.t === 'var' && term.row.name === variable) return fieldName(resource, term.field);
      return null;
    };
    switch (cond.c) {
      case 'and':
      case 'or': {
        const parts: PrismaWhere[] = [];
        for (const a of cond.args) parts.push(await where(a, variable, resource, env, src));
        return { [cond.c === 'and' ? 'AND' : 'OR']: parts };
      }
      case 'not':
        return { NOT: await where(cond.arg, variable, resource, env, src) };
      case 'in': {
        const f = side(cond.value);
        if (f === null || cond.items.some((i) => usesVar(i, variable))) break;
        const items: Value[] = [];
        for (const i of cond.items) items.push(await evalTerm(i, env, src));
        return { [f]: { in: items } };
      }
      case 'truthy': {
        const f = side(cond.term);
        if (f === null) break;
        return { [f]: true };
      }
      case 'cmp': {
        let f = side(cond.left);
        let other = cond.right;
        let op: string = cond.op;
        if (f === null) {
          f = side(cond.right);
          other = cond.left;
          op = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }[cond.op];
        }
        if (f === null || usesVar(other, variable)) break;
        const v = await evalTerm(other, env, src);
        const filter = { '==': { equals: v }, '!=': { not: v }, '<': { lt: v }, '<=': { lte: v }, '>': { gt: v }, '>=': { gte: v } }[op];
        return { [f]: filter };
      }
      default:
        break;
    }
    throw new TypeError(`this condition on ${variable} cannot be expressed as a Prisma filter`);
  };
  const source = (tx: unknown): RowSource => {
    const src: RowSource = {
      async field(resource, id, field) {
        const m = model(resource);
        const f = fieldName(resource, field);
        const row = await delegate(tx, resource).findUnique({ where: { [m.id]: id }, select: { [f]: true } });
        if (!row) throw new MissingRowError(resource, id);
        return sqlValue(row[f]);
      },
      count: (resource, state) => Promise.resolve(delegate(tx, resource).count({ where: { [fieldName(resource, 'state')]: state } })),
      async exists(cond, env) {
        const w = await where(cond.where, cond.variable, cond.resource, env, src);
        return (await delegate(tx, cond.resource).count({ where: w })) > 0;
      },
      async write(resource, id, field, value, fence) {
        const m = model(resource);
        const f = fieldName(resource, field);
        if (!fence) {
          const { count } = await delegate(tx, resource).updateMany({ where: { [m.id]: id }, data: { [f]: value } });
          if (count !== 1) throw new MissingRowError(resource, id);
          return true;
        }
        const fenceField = fieldName(resource, fence.field);
        const { count } = await delegate(tx, resource).updateMany({
          where: { [m.id]: id, OR: [{ [fenceField]: null }, { [fenceField]: { lte: fence.token } }] },
          data: { [f]: value, [fenceField]: fence.token },
        });
        if (count === 1) return true;
        if (!(await delegate(tx, resource).findUnique({ where: { [m.id]: id }, select: { [m.id]: true } }))) throw new MissingRowError(resource, id);
        return false;
      },
      compareAndSet: (resource, id, field, from, to) => cas(tx, resource, id, field, from, to),
    };
    return src;
  };
  /** Runs fn in a Serializable interactive transaction, retried on write conflicts and deadlocks (P2034). */
  const serializable = async <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await client.$transaction(fn, { isolationLevel: 'Serializable' })) as T;
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === 'P2034' && attempt < maxAttempts) {
          await sleep(Math.random() * Math.min(50, 2 * attempt));
          continue;
        }
        throw error;
      }
    }
  };
  return {
    // Also Serializable: PostgreSQL only detects a conflict between two transactions when both are.
    compareAndSet: (resource, id, field, from, to) => serializable((tx) => cas(tx, resource, id, field, from, to)),
    async run(plan, args) {
      try {
        return await serializable(async (tx) => {
          const r = await runPlan(plan, args, source(tx));
          if (!r.ok) throw new PlanStop(r); // roll back
          return r;
        });
      } catch (error) {
        if (error instanceof PlanStop) return error.result;
        throw error;
      }
    },
  };
}
