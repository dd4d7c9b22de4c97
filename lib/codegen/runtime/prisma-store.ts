// The Prisma store: runs guard plans through a PrismaClient in an interactive
// Serializable `$transaction`, retried on write conflicts (P2034).
import {
  evalCond,
  evalTerm,
  MissingRowError,
  own,
  PlanStop,
  plainValue,
  runPlan,
  sleep,
  usesVar,
} from './guard-plan';
import type { Cond, Env, GuardStore, RowSource, Term, Value } from './guard-plan';
// #if update
import { failedChecks, pureTerm } from './guard-plan';
import type { PlanOp, UpdateCheck, UpdateOutcome } from './guard-plan';
// #endif

/**
 * Where a resource lives in Prisma: the client's model delegate (e.g. `prisma.share` for a Share
 * resource) and one field per model field.
 */
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
  $transaction(
    fn: (tx: any) => Promise<any>,
    options?: { isolationLevel?: any; maxWait?: number; timeout?: number },
  ): Promise<any>;
}

type PrismaWhere = Record<string, unknown>;

/**
 * The Prisma store. A single-row test-and-set is one call:
 *   prisma.share.updateMany({ where: { id, status: { in: from } }, data: { status: to } })
 * It succeeds when `count === 1`. A plan runs in an interactive `$transaction` at
 * Serializable isolation, retried on write conflicts (P2034); a quantifier is a
 * `count({ where })` on the quantified model.
 */
export function prismaStore(
  client: PrismaClientLike,
  mapping: PrismaMapping,
  options: { maxAttempts?: number } = {},
): GuardStore {
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
    if (!d || typeof d.updateMany !== 'function')
      throw new TypeError(
        `the Prisma client has no model '${model(resource).model}' (for ${resource})`,
      );
    return d;
  };
  const cas = async (
    tx: unknown,
    resource: string,
    id: unknown,
    field: string,
    from: readonly Value[],
    to: Value,
  ) => {
    const f = fieldName(resource, field);
    const { count } = await delegate(tx, resource).updateMany({
      where: { [model(resource).id]: id, [f]: { in: [...from] } },
      data: { [f]: to },
    });
    return count === 1;
  };
  /**
   * A condition on the quantified row as a Prisma `where`; everything not about that row is
   * evaluated first.
   */
  const where = async (
    cond: Cond,
    variable: string,
    resource: string,
    env: Env,
    src: RowSource,
  ): Promise<PrismaWhere> => {
    if (!usesVar(cond, variable)) return (await evalCond(cond, env, src)) ? {} : { OR: [] };
    const side = (term: Term): string | null => {
      if (term.kind === 'var' && term.name === variable) return model(resource).id;
      if (term.kind === 'field' && term.row.kind === 'var' && term.row.name === variable)
        return fieldName(resource, term.field);
      return null;
    };
    switch (cond.kind) {
      case 'and':
      case 'or': {
        const parts: PrismaWhere[] = [];
        for (const a of cond.args) parts.push(await where(a, variable, resource, env, src));
        return { [cond.kind === 'and' ? 'AND' : 'OR']: parts };
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
        const filter = {
          '==': { equals: v },
          '!=': { not: v },
          '<': { lt: v },
          '<=': { lte: v },
          '>': { gt: v },
          '>=': { gte: v },
        }[op];
        return { [f]: filter };
      }
      default:
        break;
    }
    throw new TypeError(`this condition on ${variable} cannot be expressed as a Prisma filter`);
  };
  const fieldOrNull = async (tx: unknown, resource: string, id: unknown, field: string) => {
    const m = model(resource);
    const f = fieldName(resource, field);
    const row = await delegate(tx, resource).findUnique({
      where: { [m.id]: id },
      select: { [f]: true },
    });
    if (!row) throw new MissingRowError(resource, id);
    const v: unknown = row[f];
    return v === null || v === undefined ? null : plainValue(v);
  };
  const source = (tx: unknown): RowSource => {
    const src: RowSource = {
      async field(resource, id, field) {
        const v = await fieldOrNull(tx, resource, id, field);
        if (v === null) throw new TypeError(`${resource} ${String(id)} has no value for ${field}`);
        return v;
      },
      // #if fencing
      fieldOrNull: (resource, id, field) => fieldOrNull(tx, resource, id, field),
      // #endif
      count: (resource, state) =>
        Promise.resolve(
          delegate(tx, resource).count({ where: { [fieldName(resource, 'state')]: state } }),
        ),
      async exists(cond, env) {
        const w = await where(cond.where, cond.variable, cond.resource, env, src);
        return (await delegate(tx, cond.resource).count({ where: w })) > 0;
      },
      async write(resource, id, field, value) {
        const m = model(resource);
        const { count } = await delegate(tx, resource).updateMany({
          where: { [m.id]: id },
          data: { [fieldName(resource, field)]: value },
        });
        if (count !== 1) throw new MissingRowError(resource, id);
      },
      // #if fencing
      async writeFenced(resource, id, field, value, fence) {
        const m = model(resource);
        const f = fieldName(resource, field);
        const fenceField = fieldName(resource, fence.field);
        const { count } = await delegate(tx, resource).updateMany({
          where: {
            [m.id]: id,
            OR: [{ [fenceField]: null }, { [fenceField]: { lte: fence.token } }],
          },
          data: { [f]: value, [fenceField]: fence.token },
        });
        if (count === 1) return true;
        if (
          !(await delegate(tx, resource).findUnique({
            where: { [m.id]: id },
            select: { [m.id]: true },
          }))
        )
          throw new MissingRowError(resource, id);
        return false;
      },
      // #endif
      compareAndSet: (resource, id, field, from, to) => cas(tx, resource, id, field, from, to),
      // #if update
      update: (op, env) => update(tx, op, env, src),
      // #endif
    };
    return src;
  };
  // #if update
  /**
   * A conditional update: the filters (other tables: Prisma's relation filters need relations the
   * mapping does not declare) are `count({ where })` calls, then ONE
   * `updateMany({ where: { id, …each where check }, data })`; `size = size + n` becomes
   * `{ increment: n }`, any other value over the old row is read first. All inside the Serializable
   * transaction, which keeps the filters and the update atomic.
   */
  const update = async (
    tx: unknown,
    op: PlanOp & { kind: 'update' },
    env: Env,
    src: RowSource,
  ): Promise<UpdateOutcome> => {
    const diagnosis = async (): Promise<UpdateOutcome> => ({
      changed: false,
      failed: await failedChecks(op, env, src),
    });
    for (const check of op.checks)
      if (check.kind === 'filter' && !(await evalCond(check.cond, env, src))) return diagnosis();
    const id = await evalTerm(op.row, env, src);
    const checks: PrismaWhere[] = [];
    for (const check of op.checks) {
      if (check.kind === 'filter') continue;
      checks.push({ [fieldName(op.resource, check.field)]: await whereCheck(check, env, src) });
    }
    const where: PrismaWhere = { [model(op.resource).id]: id, AND: checks };
    const data: Record<string, unknown> = {};
    for (const s of op.set) {
      const v = s.value;
      const self = (t: Term) =>
        t.kind === 'field' &&
        t.resource === op.resource &&
        t.field === s.field &&
        JSON.stringify(t.row) === JSON.stringify(op.row);
      data[fieldName(op.resource, s.field)] =
        (v.kind === 'add' || v.kind === 'sub') && self(v.left) && pureTerm(v.right)
          ? { [v.kind === 'add' ? 'increment' : 'decrement']: await evalTerm(v.right, env, src) }
          : { set: await evalTerm(v, env, src) };
    }
    const { count } = await delegate(tx, op.resource).updateMany({ where, data });
    return count === 1 ? { changed: true } : diagnosis();
  };
  const whereCheck = async (
    check: UpdateCheck & { kind: 'where' },
    env: Env,
    src: RowSource,
  ): Promise<PrismaWhere> => {
    const values: Value[] = [];
    for (const v of check.values) values.push(await evalTerm(v, env, src));
    switch (check.op) {
      case '==':
        return { equals: values[0] };
      case '!=':
        return { not: values[0] };
      case 'in':
        return { in: values };
      case 'not in':
        return { notIn: values };
    }
  };
  // #endif
  /**
   * Runs fn in a Serializable interactive transaction, retried on write conflicts and deadlocks
   * (P2034).
   */
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
    compareAndSet: (resource, id, field, from, to) =>
      serializable((tx) => cas(tx, resource, id, field, from, to)),
    async run(plan, args) {
      try {
        return await serializable(async (tx) => {
          const r = await runPlan(plan, args, source(tx));
          if (!r.ok) throw new PlanStop(r); // Roll back.
          return r;
        });
      } catch (error) {
        if (error instanceof PlanStop) return error.result;
        throw error;
      }
    },
  };
}
