// The SQL store: runs guard plans as parameterized SQL (PostgreSQL `$1`, SQLite `?`)
// through a driver (pg-driver.ts, sqlite-driver.ts) in one SERIALIZABLE transaction.
import { MissingRowError, PlanStop, plainValue, runOps, stop } from './guard-plan';
// #if update
import { checkCond, evalTerm, pureTerm } from './guard-plan';
import type { FailedCondition, Term, UpdateOutcome } from './guard-plan';
// #endif
import type {
  Cond,
  Env,
  GuardArgs,
  GuardPlan,
  GuardResult,
  GuardStore,
  PlanOp,
  RowSource,
  Value,
} from './guard-plan';
import { quoteIdent, SqlRenderer } from './sql-render';

/**
 * Where a resource lives in SQL: its table, id column, and one column per model field (`state`
 * included).
 */
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
  execute(
    sql: string,
    params: readonly SqlParam[],
  ): Promise<{ changes: number; rows: readonly Record<string, unknown>[] }>;
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

/**
 * The SQL store. A single-row `compareAndSet` is one conditional UPDATE:
 *   UPDATE "share" SET "status" = $1 WHERE "id" = $2 AND "status" IN ($3)
 * and succeeds when exactly one row changed. A plan runs in one SERIALIZABLE
 * transaction (see the driver): requirements are `SELECT CASE WHEN … THEN 1 ELSE 0 END`
 * with quantifiers as `EXISTS`/`NOT EXISTS` subqueries, writes are UPDATEs by id.
 */
export function sqlStore(driver: SqlDriver, mapping: SqlMapping): GuardStore {
  const renderer = (args: Readonly<Record<string, Value>>) =>
    new SqlRenderer(driver.dialect, mapping, args);
  // #if update
  const selfRenderer = (args: Readonly<Record<string, Value>>, resource: string, row: Term) =>
    new SqlRenderer(driver.dialect, mapping, args, { resource, row, alias: UPDATED_ROW });
  // #endif
  const cas = async (
    session: SqlSession,
    resource: string,
    id: Value,
    field: string,
    from: readonly Value[],
    to: Value,
  ) => {
    if (from.length === 0) return false;
    const r = renderer({});
    const t = r.table(resource);
    const col = r.column(resource, field);
    const set = `${col} = ${r.param(to)}`;
    const idParam = r.param(id);
    const fromParams = from.map((f) => r.param(f)).join(', ');
    const where = `${quoteIdent(t.id)} = ${idParam} AND ${col} IN (${fromParams})`;
    const sql = `UPDATE ${quoteIdent(t.table)} SET ${set} WHERE ${where}`;
    const { changes } = await session.execute(sql, r.params);
    return changes === 1;
  };
  const fieldOrNull = async (
    session: SqlSession,
    resource: string,
    id: unknown,
    field: string,
  ): Promise<Value | null> => {
    const r = renderer({});
    const t = r.table(resource);
    const column = r.column(resource, field);
    const where = `${quoteIdent(t.id)} = ${r.param(plainValue(id))}`;
    const { rows } = await session.execute(
      `SELECT ${column} AS v FROM ${quoteIdent(t.table)} WHERE ${where}`,
      r.params,
    );
    if (rows.length === 0) throw new MissingRowError(resource, id);
    const v = rows[0]?.v;
    return v === null || v === undefined ? null : plainValue(v);
  };
  const source = (session: SqlSession): RowSource => {
    const src: RowSource = {
    async field(resource, id, field) {
      const v = await fieldOrNull(session, resource, id, field);
      if (v === null) throw new TypeError(`${resource} ${String(id)} has no value for ${field}`);
      return v;
    },
    // #if fencing
    fieldOrNull: (resource, id, field) => fieldOrNull(session, resource, id, field),
    // #endif
    async count(resource, state) {
      const r = renderer({});
      const { rows } = await session.execute(
        `SELECT ${await r.term({ kind: 'count', resource, state })} AS v`,
        r.params,
      );
      return Number(rows[0]?.v);
    },
    async exists(cond, env) {
      const r = renderer(env.args);
      const { rows } = await session.execute(
        `SELECT CASE WHEN ${await r.cond(cond)} THEN 1 ELSE 0 END AS v`,
        r.params,
      );
      return Number(rows[0]?.v) === 1;
    },
    async write(resource, id, field, value) {
      const r = renderer({});
      const t = r.table(resource);
      const set = `${r.column(resource, field)} = ${r.param(value)}`;
      const where = `${quoteIdent(t.id)} = ${r.param(plainValue(id))}`;
      const { changes } = await session.execute(
        `UPDATE ${quoteIdent(t.table)} SET ${set} WHERE ${where}`,
        r.params,
      );
      if (changes !== 1) throw new MissingRowError(resource, id);
    },
    // #if fencing
    async writeFenced(resource, id, field, value, fence) {
      // One statement: `UPDATE … SET field = $1, fence = $2 WHERE id = $3 AND (fence IS NULL OR
      // fence <= $4)`.
      const r = renderer({});
      const t = r.table(resource);
      const fenceCol = r.column(resource, fence.field);
      const column = r.column(resource, field);
      const set = `${column} = ${r.param(value)}, ${fenceCol} = ${r.param(fence.token)}`;
      const idParam = r.param(plainValue(id));
      const tokenParam = r.param(fence.token);
      const fresh = `(${fenceCol} IS NULL OR ${fenceCol} <= ${tokenParam})`;
      const where = `${quoteIdent(t.id)} = ${idParam} AND ${fresh}`;
      const { changes } = await session.execute(
        `UPDATE ${quoteIdent(t.table)} SET ${set} WHERE ${where}`,
        r.params,
      );
      if (changes === 1) return true;
      const check = renderer({});
      const exists = `${quoteIdent(t.id)} = ${check.param(plainValue(id))}`;
      const { rows } = await session.execute(
        `SELECT 1 AS v FROM ${quoteIdent(t.table)} WHERE ${exists}`,
        check.params,
      );
      if (rows.length === 0) throw new MissingRowError(resource, id);
      return false;
    },
    // #endif
    compareAndSet: (resource, id, field, from, to) =>
      cas(session, resource, plainValue(id), field, from, to),
    // #if update
    async update(op, env): Promise<UpdateOutcome> {
      // One statement, SET values computed from the row's old columns:
      //   UPDATE t AS row SET f = ?, g = row.g + ?
      //   WHERE row.id = ? AND <checks> AND NOT EXISTS (…)
      const r = selfRenderer(env.args, op.resource, op.row);
      const t = r.table(op.resource);
      const sets: string[] = [];
      for (const s of op.set)
        sets.push(`${r.column(op.resource, s.field)} = ${await r.term(s.value)}`);
      const id = plainValue(await evalTerm(op.row, env, src));
      const where = [`${quoteIdent(UPDATED_ROW)}.${quoteIdent(t.id)} = ${r.param(id)}`];
      for (const check of op.checks)
        where.push(`COALESCE((${await r.cond(checkCond(op, check))}), FALSE)`);
      const table = `${quoteIdent(t.table)} AS ${quoteIdent(UPDATED_ROW)}`;
      const sql = `UPDATE ${table} SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`;
      const { changes } = await session.execute(sql, r.params);
      if (changes === 1) return { changed: true };
      return { changed: false, failed: await diagnose(session, op, env, id) };
    },
    // #endif
    };
    return src;
  };
  // #if update
  /**
   * After an update matched no row: reads the row once, in the same transaction, with every check's
   * truth, every where field's value and every expected value that reads rows
   * (oslo.db's update_on_match handle_failure).
   */
  const diagnose = async (
    session: SqlSession,
    op: PlanOp & { kind: 'update' },
    env: Env,
    id: Value,
  ): Promise<FailedCondition[]> => {
    const r = selfRenderer(env.args, op.resource, op.row);
    const t = r.table(op.resource);
    const columns: string[] = [];
    // Each expected value: known here (pure), or a column of the SELECT.
    const expected: Array<Array<{ value: Value } | { column: string }>> = [];
    for (const [i, check] of op.checks.entries()) {
      columns.push(`CASE WHEN ${await r.cond(checkCond(op, check))} THEN 1 ELSE 0 END AS c${i}`);
      if (check.kind === 'filter') {
        expected.push([]);
        continue;
      }
      columns.push(`${quoteIdent(UPDATED_ROW)}.${r.column(op.resource, check.field)} AS a${i}`);
      const values: Array<{ value: Value } | { column: string }> = [];
      for (const [j, v] of check.values.entries()) {
        if (pureTerm(v)) values.push({ value: await r.pure(v) });
        else {
          columns.push(`${await r.term(v)} AS e${i}_${j}`);
          values.push({ column: `e${i}_${j}` });
        }
      }
      expected.push(values);
    }
    const from = `${quoteIdent(t.table)} AS ${quoteIdent(UPDATED_ROW)}`;
    const where = `${quoteIdent(UPDATED_ROW)}.${quoteIdent(t.id)} = ${r.param(id)}`;
    const { rows } = await session.execute(
      `SELECT ${columns.join(', ')} FROM ${from} WHERE ${where}`,
      r.params,
    );
    const row = rows[0];
    if (!row) throw new MissingRowError(op.resource, id);
    const failed: FailedCondition[] = [];
    op.checks.forEach((check, i) => {
      if (Number(row[`c${i}`]) === 1) return;
      if (check.kind === 'filter') {
        failed.push({ condition: check.name, expected: { op: 'holds' }, actual: false });
        return;
      }
      const asBool = (v: Value): Value => (check.bool && typeof v === 'number' ? v !== 0 : v);
      const values = expected[i]!.map((v) =>
        asBool('value' in v ? v.value : plainValue(row[v.column])),
      );
      const actual = row[`a${i}`];
      failed.push({
        condition: check.name,
        expected: { op: check.op, values },
        actual: actual === null || actual === undefined ? 'NULL' : asBool(plainValue(actual)),
      });
    });
    return failed;
  };
  // #endif
  return {
    compareAndSet: (resource, id, field, from, to) =>
      driver.transaction((session) => cas(session, resource, id, field, from, to)),
    async run(plan, args) {
      const result = await driver
        .transaction(async (session) => {
          const r = await runPlanSql(plan, args, session, source(session), renderer);
          if (!r.ok) throw new PlanStop(r); // Roll back.
          return r;
        })
        .catch((error: unknown) => {
          if (error instanceof PlanStop) return error.result;
          throw error;
        });
      return result;
    },
  };
}

// #if update
/** The alias of the row an update addresses (a space: no model identifier can collide with it). */
const UPDATED_ROW = 'lockstep row';

// #endif

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
    const { rows } = await session.execute(
      `SELECT CASE WHEN ${await r.cond(cond)} THEN 1 ELSE 0 END AS ok`,
      r.params,
    );
    return Number(rows[0]?.ok) === 1;
  };
  const values: Record<string, Value> = {};
  const env: Env = { args: { ...args }, vars: {} };
  const exec = async (ops: readonly PlanOp[]): Promise<boolean> => {
    for (const op of ops) {
      switch (op.kind) {
        case 'require':
          if (!(await check(op.cond, env))) throw stop(plan, 'abort', op.message);
          break;
        case 'assert':
          if (!(await check(op.cond, env)))
            throw stop(plan, 'assert', `assertion failed: ${op.message}`);
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
