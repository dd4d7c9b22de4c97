/** The default SQL and Prisma layouts of the model's resources (`SQL_TABLES`, `PRISMA_MODELS` in guards.ts). */
import type { Context } from './context';
import type { GuardInfo } from './guard-info';
import { fenceField } from './plan';
import { camel, NameTable } from './names';
import { prettyBlock } from './pretty';
import type { PlanOp } from './runtime/guard-plan';
import { unreachable } from '../model/walk';

const snake = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** The locks whose tokens each resource keeps, from the guards' fenced writes and fence() reads. */
function fencesByResource(guards: readonly GuardInfo[]): Map<string, Set<string>> {
  const fences = new Map<string, Set<string>>();
  const add = (resource: string, field: string) => fences.set(resource, (fences.get(resource) ?? new Set()).add(field.slice('fence:'.length)));
  // A fence() read is a field term on a `fence:` column, anywhere in a plan.
  const reads = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(reads);
    else if (node && typeof node === 'object') {
      const t = node as { kind?: unknown; resource?: unknown; field?: unknown };
      if (t.kind === 'field' && typeof t.field === 'string' && t.field.startsWith('fence:') && typeof t.resource === 'string') add(t.resource, t.field);
      Object.values(node).forEach(reads);
    }
  };
  const visit = (ops: readonly PlanOp[]) => {
    reads(ops);
    for (const o of ops) {
      switch (o.kind) {
        case 'write':
          if (o.fence) add(o.resource, o.fence.field);
          break;
        case 'if':
          visit(o.then);
          visit(o.else);
          break;
        case 'require':
        case 'assert':
        case 'read':
        case 'cas':
        case 'update':
        case 'abort':
        case 'return':
          break;
        default:
          unreachable(o, 'plan op');
      }
    }
  };
  for (const g of guards) visit(g.plan.ops);
  return fences;
}

/** `SQL_TABLES` and `PRISMA_MODELS` with their doc comments. */
export function mappings(ctx: Context, guards: readonly GuardInfo[]): string {
  const sql = new Map<string, unknown>();
  const prisma = new Map<string, unknown>();
  const fences = fencesByResource(guards);
  // Deriving table and column names is lossy (`aB` and `a_b` are both `a_b`): each name is
  // claimed once, so two model names never silently share a table or a column.
  const plain = () => new NameTable([], { identifiers: false });
  const tables = plain();
  const models = plain();
  for (const r of ctx.model.catalog.resources.values()) {
    const cols = new Map<string, string>();
    const fields = new Map<string, string>();
    const columnTable = new NameTable(['id'], { identifiers: false });
    const fieldTable = new NameTable(['id'], { identifiers: false });
    const ordered = [...r.fields].sort(([a], [b]) => Number(b === 'state') - Number(a === 'state'));
    for (const [field, type] of ordered) {
      cols.set(field, columnTable.claim(field === 'state' ? 'status' : type.kind === 'ref' ? `${snake(field)}_id` : snake(field)));
      fields.set(field, fieldTable.claim(field === 'state' ? 'status' : type.kind === 'ref' ? `${lowerFirst(field)}Id` : field));
    }
    for (const lock of [...(fences.get(r.name) ?? [])].sort()) {
      cols.set(fenceField(lock), columnTable.claim(`${snake(lock)}_fence`));
      fields.set(fenceField(lock), fieldTable.claim(`${camel(lock)}Fence`));
    }
    sql.set(r.name, { table: tables.claim(snake(r.name)), id: 'id', columns: cols });
    prisma.set(r.name, { model: models.claim(lowerFirst(r.name)), id: 'id', fields });
  }
  return [
    '/**',
    ' * Default SQL layout: a table per resource (snake_case), `id`, `status` for the state,',
    ' * `<ref>_id` for references, `<lock>_fence` for fencing tokens. Pass your own to `sqlStore`.',
    ' */',
    `export const SQL_TABLES = ${prettyBlock(sql)} as const satisfies SqlMapping;`,
    '',
    '/**',
    ' * Default Prisma layout: `prisma.<resource>` delegates, `id`, `status` for the state, `<ref>Id`',
    ' * for references, `<lock>Fence` for fencing tokens. Pass your own to `prismaStore`.',
    ' */',
    `export const PRISMA_MODELS = ${prettyBlock(prisma)} as const satisfies PrismaMapping;`,
  ].join('\n');
}
