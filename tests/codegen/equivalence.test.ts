/**
 * The stores agree: for every guard of every example, on random rows and
 * arguments, the SQL store (real SQLite and PostgreSQL) gives the same result
 * and leaves the same rows as the memory store, which evaluates the plan
 * directly. Catches translation mistakes (placeholder order, NULL handling,
 * booleans, quantifiers) the hand-written tests do not think of.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AnalyzedModel } from '@/lib/model';
import type { Type } from '@/lib/model/expr/types';
import { generate } from '@/lib/codegen';
import { makeContext } from '@/lib/codegen/context';
import { collectGuards, type GuardInfo } from '@/lib/codegen/guard-info';
import { guardsFileNames } from '@/lib/codegen/guards';
import { randomGenerator } from '@/lib/check/simulate';
import type * as Runtime from '@/lib/codegen/runtime/guard-plan';
import type * as MemoryStore from '@/lib/codegen/runtime/memory-store';
import type * as SqlStore from '@/lib/codegen/runtime/sql-store';
import type * as SqlRender from '@/lib/codegen/runtime/sql-render';
import type * as PgDriver from '@/lib/codegen/runtime/pg-driver';
import type * as SqliteDriver from '@/lib/codegen/runtime/sqlite-driver';
import { freshConfig, providers } from '../helpers/db';
import { examples, filesOf, tempProject, withRuntime } from './helpers';

const TRIALS = 30;
const ROWS = 3;

/** The generated guards.ts with the runtime modules it runs on. */
type Mod = typeof MemoryStore &
  typeof SqlStore &
  typeof SqlRender &
  typeof PgDriver &
  typeof SqliteDriver & { SQL_TABLES: SqlStore.SqlMapping } & Record<string, unknown>;
type Row = Record<string, Runtime.Value>;

function randomValue(type: Type, pick: () => number): Runtime.Value {
  switch (type.kind) {
    case 'bool':
      return pick() < 0.5;
    case 'int':
      return type.min + Math.floor(pick() * (Math.min(type.max, type.min + 5) - type.min + 1));
    case 'enum':
      return type.values[Math.floor(pick() * type.values.length)]!;
    case 'ref':
      return `${type.resource}-${Math.floor(pick() * ROWS)}`;
  }
}

function randomRows(model: AnalyzedModel, fences: Map<string, string[]>, pick: () => number): Record<string, Map<Runtime.RowId, Row>> {
  const out: Record<string, Map<Runtime.RowId, Row>> = {};
  for (const r of model.catalog.resources.values()) {
    const rows = new Map<Runtime.RowId, Row>();
    for (let i = 0; i < ROWS; i++) {
      const row: Row = {};
      for (const [field, type] of r.fields) row[field] = randomValue(type, pick);
      for (const f of fences.get(r.name) ?? []) row[f] = Math.floor(pick() * 4);
      rows.set(`${r.name}-${i}`, row);
    }
    out[r.name] = rows;
  }
  return out;
}

function fenceFields(guards: GuardInfo[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (ops: readonly Runtime.PlanOp[]) => {
    for (const o of ops) {
      if (o.kind === 'write' && o.fence) out.set(o.resource, [...new Set([...(out.get(o.resource) ?? []), o.fence.field])]);
      if (o.kind === 'if') {
        visit(o.then);
        visit(o.else);
      }
    }
  };
  guards.forEach((g) => visit(g.plan.ops));
  return out;
}

function randomArgs(g: GuardInfo, pick: () => number): Record<string, Runtime.Value> {
  const args: Record<string, Runtime.Value> = {};
  for (const [name, resource] of g.plan.args.params) args[name] = `${resource}-${Math.floor(pick() * ROWS)}`;
  for (const [name, type] of g.plan.args.locals) args[name] = randomValue(type, pick);
  for (const [name] of g.plan.args.tokens) args[name] = Math.floor(pick() * 4);
  return args;
}

interface SqlDb {
  store: Runtime.GuardStore;
  load(rows: Record<string, Map<Runtime.RowId, Row>>): Promise<void>;
  dump(): Promise<Record<string, Record<string, Row>>>;
  close(): Promise<void>;
}

function sqlType(type: Type | undefined, dialect: 'sqlite' | 'postgres'): string {
  if (!type) return 'INTEGER'; // fence
  if (type.kind === 'int') return 'INTEGER';
  if (type.kind === 'bool') return dialect === 'postgres' ? 'BOOLEAN' : 'INTEGER';
  return 'TEXT';
}

async function openSql(kind: 'sqlite' | 'postgresql', mod: Mod, model: AnalyzedModel, fences: Map<string, string[]>): Promise<SqlDb & { drop(): Promise<void> }> {
  const fresh = await freshConfig(kind);
  const dialect = kind === 'sqlite' ? 'sqlite' : 'postgres';
  const tables = mod.SQL_TABLES;
  const columnsOf = (resource: string) => {
    const r = model.catalog.resources.get(resource)!;
    return [...[...r.fields.keys()].map((f) => [f, r.fields.get(f)] as const), ...(fences.get(resource) ?? []).map((f) => [f, undefined] as const)];
  };
  let exec: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;
  let store: Runtime.GuardStore;
  let close: () => Promise<void>;
  if (fresh.config.provider === 'sqlite') {
    const db = new Database(fresh.config.file);
    // A scratch file: skip fsyncs (semantics are unchanged, the test is several times faster).
    db.pragma('synchronous = OFF');
    db.pragma('journal_mode = MEMORY');
    exec = async (sql, params = []) => {
      const stmt = db.prepare(sql.replace(/\$\d+/g, '?'));
      const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
      return stmt.reader ? (stmt.all(...bound) as Array<Record<string, unknown>>) : (stmt.run(...bound), []);
    };
    store = mod.sqlStore(mod.sqliteDriver(db), tables);
    close = async () => void db.close();
  } else {
    const pool = new pg.Pool({ connectionString: fresh.config.url, max: 2 });
    exec = async (sql, params = []) => (await pool.query(sql, params)).rows;
    store = mod.sqlStore(mod.pgDriver(pool), tables);
    close = () => pool.end();
  }
  for (const r of model.catalog.resources.values()) {
    const t = tables[r.name]!;
    const cols = columnsOf(r.name).map(([f, type]) => `${mod.quoteIdent(t.columns[f]!)} ${sqlType(type, dialect)}`);
    await exec(`CREATE TABLE ${mod.quoteIdent(t.table)} (${mod.quoteIdent(t.id)} TEXT PRIMARY KEY, ${cols.join(', ')})`);
  }
  return {
    store,
    async load(rows) {
      for (const [resource, byId] of Object.entries(rows)) {
        const t = tables[resource]!;
        await exec(`DELETE FROM ${mod.quoteIdent(t.table)}`);
        for (const [id, row] of byId) {
          const fields = Object.keys(row);
          await exec(
            `INSERT INTO ${mod.quoteIdent(t.table)} (${[t.id, ...fields.map((f) => t.columns[f]!)].map(mod.quoteIdent).join(', ')}) VALUES (${[id, ...fields].map((_, i) => `$${i + 1}`).join(', ')})`,
            [id, ...fields.map((f) => row[f])],
          );
        }
      }
    },
    async dump() {
      const out: Record<string, Record<string, Row>> = {};
      for (const r of model.catalog.resources.values()) {
        const t = tables[r.name]!;
        out[r.name] = {};
        for (const row of await exec(`SELECT * FROM ${mod.quoteIdent(t.table)}`)) {
          const rec: Row = {};
          for (const [f, type] of columnsOf(r.name)) {
            const v = row[t.columns[f]!];
            rec[f] = type?.kind === 'bool' ? v === true || v === 1 : (v as Runtime.Value);
          }
          out[r.name]![String(row[t.id])] = rec;
        }
      }
      return out;
    },
    close,
    drop: fresh.drop,
  };
}

const dumpMemory = (rows: Record<string, Map<Runtime.RowId, Row>>) =>
  Object.fromEntries(Object.entries(rows).map(([r, byId]) => [r, Object.fromEntries([...byId].map(([id, row]) => [String(id), { ...row }]))]));

/** The guards exactly as generate() names them. */
function guardsOf(model: AnalyzedModel): GuardInfo[] {
  const ctx = makeContext(model, { version: 1 });
  return collectGuards(ctx, guardsFileNames(ctx));
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.each(examples().map((e) => ({ ...e, guards: guardsOf(e.model) })).filter((e) => e.guards.length > 0))(
  'stores agree on the guards of $file',
  ({ model, guards }) => {
    let mod: Mod;
    const fences = fenceFields(guards);
    beforeAll(async () => {
      const project = tempProject('equiv', withRuntime(filesOf(generate(model, { version: 1 })), 'guards.ts'));
      cleanups.push(project.remove);
      const load = (file: string) => import(pathToFileURL(path.join(project.dir, file)).href);
      const modules = ['guards.ts', ...['memory-store', 'sql-store', 'sql-render', 'pg-driver', 'sqlite-driver'].map((m) => `lockstep-runtime/${m}.ts`)];
      mod = Object.assign({}, ...(await Promise.all(modules.map(load)))) as Mod;
    });

    it.each(providers)('memory and SQL on %s: same results, same rows', async (provider) => {
      const sql = await openSql(provider, mod, model, fences);
      cleanups.push(sql.drop, sql.close);
      // Seeded (mulberry32), so a failure can be replayed.
      const pick = randomGenerator(provider.length * 7919 + guards.length);
      let changed = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        for (const g of guards) {
          const rows = randomRows(model, fences, pick);
          const args = randomArgs(g, pick);
          const guard = mod[g.name] as (store: Runtime.GuardStore, args: Record<string, Runtime.Value>) => Promise<Runtime.GuardResult>;
          await sql.load(rows);
          const before = dumpMemory(rows);
          const expected = await guard(mod.memoryStore(rows), args);
          const actual = await guard(sql.store, args);
          const where = `${g.name} trial ${trial} args ${JSON.stringify(args)} rows ${JSON.stringify(before)}`;
          expect(actual, where).toEqual(expected);
          expect(await sql.dump(), where).toEqual(dumpMemory(rows));
          if (expected.ok) changed++;
        }
      }
      // The guards did let some steps through (refusals are exercised by most guards too).
      expect(changed).toBeGreaterThan(0);
    }, 120_000);
  },
);
