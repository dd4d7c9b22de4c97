// Renders plan terms and conditions to SQL for the SQL store (sql-store.ts).
import { evalCond, evalTerm, own, pureCond, pureTerm } from './guard-plan';
import type { Cond, RowSource, Term, Value } from './guard-plan';
import type { SqlMapping, SqlParam, SqlTable } from './sql-store';

/** Quotes an SQL identifier (`"name"`, doubling any `"`). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Renders plan terms and conditions to SQL with placeholders; pure parts are evaluated here and
 * passed as parameters.
 */
export class SqlRenderer {
  readonly params: SqlParam[] = [];
  constructor(
    readonly dialect: 'postgres' | 'sqlite',
    readonly mapping: SqlMapping,
    readonly args: Readonly<Record<string, Value>>,
    // #if update
    /**
     * The row an UPDATE (or its diagnosis) addresses, as `FROM table AS alias`: a field of that
     * row renders as `alias.column`, its value in the statement (old values inside SET).
     */
    readonly self: {
      readonly resource: string;
      readonly row: Term;
      readonly alias: string;
    } | null = null,
    // #endif
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
    switch (term.kind) {
      case 'var':
        return `${quoteIdent(term.name)}.${quoteIdent(this.table(this.varResource(term.name)).id)}`;
      case 'field': {
        let sql: string | null = null;
        if (term.row.kind === 'var')
          sql = `${quoteIdent(term.row.name)}.${this.column(term.resource, term.field)}`;
        // #if update
        else if (
          this.self &&
          this.self.resource === term.resource &&
          sameTerm(this.self.row, term.row)
        )
          sql = `${quoteIdent(this.self.alias)}.${this.column(term.resource, term.field)}`;
        // #endif
        // #if fencing
        if (sql !== null && term.ifNull !== undefined)
          return `COALESCE(${sql}, ${this.param(term.ifNull)})`;
        // #endif
        if (sql !== null) return sql;
        const t = this.table(term.resource);
        const column = this.column(term.resource, term.field);
        const id = await this.term(term.row);
        const where = `${quoteIdent(t.id)} = ${id}`;
        const sub = `(SELECT ${column} FROM ${quoteIdent(t.table)} WHERE ${where})`;
        // #if fencing
        if (term.ifNull !== undefined) return `COALESCE(${sub}, ${this.param(term.ifNull)})`;
        // #endif
        return sub;
      }
      case 'count': {
        const t = this.table(term.resource);
        const state = this.column(term.resource, 'state');
        const where = `${state} = ${this.param(term.state)}`;
        return `(SELECT COUNT(*) FROM ${quoteIdent(t.table)} WHERE ${where})`;
      }
      case 'add':
      case 'sub':
        const left = await this.term(term.left);
        return `(${left} ${term.kind === 'add' ? '+' : '-'} ${await this.term(term.right)})`;
      case 'neg':
        return `(-${await this.term(term.arg)})`;
      case 'cond':
        return `(${await this.cond(term.cond)})`;
      default:
        throw new TypeError(`cannot render ${term.kind}`);
    }
  }

  private vars: Array<[string, string]> = [];
  private varResource(name: string): string {
    for (const [variable, resource] of [...this.vars].reverse())
      if (variable === name) return resource;
    throw new TypeError(`quantified variable '${name}' is unbound`);
  }

  async cond(cond: Cond): Promise<string> {
    if (pureCond(cond))
      return (await evalCond(cond, { args: { ...this.args }, vars: {} }, NO_ROWS))
        ? 'TRUE'
        : 'FALSE';
    switch (cond.kind) {
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
        return parts.length
          ? parts.join(cond.kind === 'and' ? ' AND ' : ' OR ')
          : cond.kind === 'and'
            ? 'TRUE'
            : 'FALSE';
      }
      case 'not':
        // COALESCE: a comparison with a missing (NULL) value counts as false, as the model has no
        // NULL.
        return `NOT COALESCE((${await this.cond(cond.arg)}), FALSE)`;
      case 'exists': {
        const t = this.table(cond.resource);
        this.vars.push([cond.variable, cond.resource]);
        try {
          const from = `${quoteIdent(t.table)} AS ${quoteIdent(cond.variable)}`;
          const where = await this.cond(cond.where);
          return `EXISTS (SELECT 1 FROM ${from} WHERE COALESCE((${where}), FALSE))`;
        } finally {
          this.vars.pop();
        }
      }
      case 'truthy':
        return `${await this.term(cond.term)} = ${this.dialect === 'postgres' ? 'TRUE' : '1'}`;
      default:
        throw new TypeError(`cannot render ${cond.kind}`);
    }
  }
}

// #if update
/** Whether two plan terms are the same expression (the row an update addresses). */
export function sameTerm(a: Term, b: Term): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
// #endif

/** A source for evaluating pure terms: touching a row is a bug. */
const NO_ROWS: RowSource = {
  field: () => Promise.reject(new TypeError('not a pure term')),
  // #if fencing
  fieldOrNull: () => Promise.reject(new TypeError('not a pure term')),
  // #endif
  count: () => Promise.reject(new TypeError('not a pure term')),
  exists: () => Promise.reject(new TypeError('not a pure term')),
  write: () => Promise.reject(new TypeError('not a pure term')),
  // #if fencing
  writeFenced: () => Promise.reject(new TypeError('not a pure term')),
  // #endif
  compareAndSet: () => Promise.reject(new TypeError('not a pure term')),
};
