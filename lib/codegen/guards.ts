/**
 * guards.ts: one test-and-set guard per `cas` and `atomic` step, named after
 * its operation and label, over the GuardStore interface, with the memory, SQL
 * and Prisma stores (the runtime, copied in so the file needs no dependency).
 */
import { forEachAnalyzedStep, type AnalyzedOperation, type AnalyzedStep } from '../model/analyzed';
import type { Type } from '../model/expr/types';
import { CodegenError, tsHeader, type CodegenIssue, type Context } from './context';
import { camel, commentLine, declaredNames, literal, member, NameTable, objectKey as key, pascal, str, typeKey } from './names';
import { compileStepPlan, fenceField, planIssue, prismaProblem, type CompiledPlan } from './plan';
import type { PlanOp } from './runtime/guards-runtime';
import { GUARDS_RUNTIME } from './runtime-source';

export interface GuardInfo {
  name: string;
  operation: string;
  step: AnalyzedStep & { kind: 'cas' | 'atomic' | 'write' };
  plan: CompiledPlan;
}

/** The step's position inside its operation, for unlabelled steps: `operations[2].steps[1].then[0]` → `Step1Then0`. */
function positionName(path: string): string {
  const inner = path.replace(/^operations\[\d+\]\./, '');
  return pascal(inner.replace(/\[(\d+)\]/g, ' $1 ').replace(/steps/g, 'step'));
}

/** Every guard of the model, in document order; throws CodegenError listing every step that cannot be generated. */
export function collectGuards(ctx: Context): GuardInfo[] {
  // A guard `x` comes with its plan `xPlan`; both share the file with the runtime (`runPlan`, `memoryStore`…).
  const names = new NameTable(['SQL_TABLES', 'PRISMA_MODELS', 'GUARDS', ...declaredNames(GUARDS_RUNTIME)]);
  const guards: GuardInfo[] = [];
  const issues: CodegenIssue[] = [];
  const ops = [...ctx.model.operations.values()].sort((a, b) => a.index - b.index);
  const fencing = new Set(ctx.locks.filter((l) => l.fencing).map((l) => l.name));
  for (const op of ops) {
    // An atomic's inner steps belong to its own guard.
    forEachAnalyzedStep(op.steps, (s) => {
      const fencedWrite = s.kind === 'write' && s.fencedBy !== null && fencing.has(s.fencedBy.lock);
      if (s.kind !== 'cas' && s.kind !== 'atomic' && !fencedWrite) return;
      if (s.kind !== 'cas' && s.kind !== 'atomic' && s.kind !== 'write') return;
      try {
        const plan = compileStepPlan(ctx.model.catalog, op, s, fencing, ctx.tokenArgs);
        const problem = prismaProblem(plan.ops);
        if (problem) {
          issues.push({ path: s.path, message: `${op.name}: ${problem}` });
          return;
        }
        guards.push({ name: names.claim(`${camel(op.name)}${pascal(s.label ?? positionName(s.path))}`, (n) => [`${n}Plan`]), operation: op.name, step: s, plan });
      } catch (error) {
        const issue = planIssue(error);
        if (!issue) throw error;
        issues.push({ path: issue.path, message: `${op.name}: ${issue.message}` });
      }
    }, { intoAtomic: false });
  }
  if (issues.length) throw new CodegenError(issues);
  return guards;
}

function tsType(type: Type): string {
  switch (type.kind) {
    case 'bool':
      return 'boolean';
    case 'int':
      return 'number';
    case 'enum':
      return type.values.map(str).join(' | ') || 'never';
    case 'ref':
      return 'RowId';
  }
}

const snake = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function stepLines(steps: AnalyzedStep[], depth: number, out: string[]): void {
  for (const s of steps) {
    const pad = '  '.repeat(depth);
    out.push(`${pad}${commentLine(s.text)}${s.label ? `   # ${commentLine(s.label)}` : ''}`);
    if (s.kind === 'if') {
      stepLines(s.then, depth + 1, out);
      if (s.else.length) {
        out.push(`${pad}else`);
        stepLines(s.else, depth + 1, out);
      }
    } else if (s.kind === 'atomic') stepLines(s.steps, depth + 1, out);
  }
}

const ISOLATION = [
  '(PostgreSQL: BEGIN ISOLATION LEVEL SERIALIZABLE, retried on 40001/40P01; SQLite: BEGIN IMMEDIATE;',
  'Prisma: $transaction with isolationLevel Serializable, retried on P2034).',
];

function isolationNote(g: GuardInfo): string[] {
  if (g.step.kind === 'write') {
    const lock = g.step.fencedBy?.lock ?? '';
    return [
      `A fenced write: one conditional UPDATE that also stores the token, and is refused when the row`,
      `already accepted a higher token of ${lock} (the caller's lease expired and a newer holder wrote).`,
      `Pass the token your ${lock} provider handed out (withLocks: held.token(lock, on)).`,
      'It runs in a SERIALIZABLE transaction like every guard',
      ...ISOLATION,
    ];
  }
  const tables = [...new Set([...g.plan.reads, ...g.plan.writes])].sort().join(', ');
  if (g.plan.readsOtherRows) {
    const other = [...g.plan.reads].filter((r) => !g.plan.writes.has(r)).sort();
    return [
      `Transaction guard over ${tables}. Needs SERIALIZABLE isolation`,
      ...ISOLATION,
      `Why: it checks rows it does not write (${other.length ? `${other.join(', ')} rows` : 'other rows of the same tables'}). Under READ COMMITTED`,
      'or REPEATABLE READ another transaction can change those rows between this check and this',
      'write, and both commit (write skew); the model assumes the whole step is atomic, and only',
      'serializable isolation makes it so.',
    ];
  }
  if (g.plan.rowsWritten > 1) {
    return [
      `Transaction guard writing ${g.plan.rowsWritten} rows (${tables}) together: a transaction makes them land all or`,
      'none; any isolation level gives that, and it runs SERIALIZABLE like every guard',
      ...ISOLATION,
    ];
  }
  return [
    'A conditional update of one row: the database checks and writes it in one statement, so no',
    'other writer slips in between. It runs in a SERIALIZABLE transaction anyway, because',
    'PostgreSQL only detects a conflict with a transaction guard that read this row when both are',
    ...ISOLATION,
  ];
}

function argsType(g: GuardInfo): string {
  const fields = [
    ...[...g.plan.args.params].map(([name]) => `readonly ${typeKey(name)}: RowId`),
    ...[...g.plan.args.locals].map(([name, type]) => `readonly ${typeKey(name)}: ${tsType(type)}`),
    ...[...g.plan.args.tokens].map(([name]) => `readonly ${typeKey(name)}: number`),
  ];
  return fields.length ? `{ ${fields.join('; ')} }` : 'Record<string, never>';
}

function guardSource(g: GuardInfo, op: AnalyzedOperation): string {
  const lines: string[] = [];
  stepLines([g.step], 0, lines);
  const doc = [
    '/**',
    ` * ${commentLine(op.name)} › ${commentLine(g.step.label ?? g.step.where)} (${g.step.path})`,
    ' *',
    ...lines.map((l) => ` *     ${l}`),
    ' *',
    ...isolationNote(g).map((l) => ` * ${l}`),
    ' * Resolves `{ ok: false }` (nothing changed) when the step would not happen.',
    ' */',
  ];
  const args = argsType(g);
  const planName = `${g.name}Plan`;
  const plan = [
    `export const ${planName} = {`,
    `  guard: ${str(g.name)},`,
    `  operation: ${str(op.name)},`,
    `  step: ${str(g.step.label ?? g.step.path)},`,
    `  resources: ${literal([...new Set([...g.plan.reads, ...g.plan.writes])].sort())},`,
    '  ops: [',
    ...g.plan.ops.map((o) => `    ${literal(o)},`),
    '  ],',
    '} as const satisfies GuardPlan;',
  ].join('\n');
  const first = g.plan.ops[0];
  let body: string;
  if (g.step.kind === 'cas' && g.plan.ops.length === 1 && first?.op === 'cas' && first.row.t === 'arg') {
    const outcome = g.step.else === 'retry' ? 'retry' : g.step.else;
    body = [
      `export async function ${g.name}(store: GuardStore, args: ${args}): Promise<GuardResult> {`,
      `  const changed = await store.compareAndSet(${str(first.resource)}, ${member('args', first.row.name)}, ${str(first.field)}, ${JSON.stringify(first.from)}, ${JSON.stringify(first.to)});`,
      `  return changed ? { ok: true, values: {}, returned: false } : { ok: false, outcome: ${str(outcome)}, reason: ${str(g.step.message)}, guard: ${str(g.name)} };`,
      '}',
    ].join('\n');
  } else if (g.step.kind === 'cas' || g.step.kind === 'write') {
    const outcome = g.step.kind === 'cas' ? g.step.else : 'abort';
    body = [
      `export async function ${g.name}(store: GuardStore, args: ${args}): Promise<GuardResult> {`,
      `  const result = await store.run(${planName}, args);`,
      `  return result.ok ? result : { ...result, outcome: ${str(outcome)} };`,
      '}',
    ].join('\n');
  } else {
    body = [`export function ${g.name}(store: GuardStore, args: ${args}): Promise<GuardResult> {`, `  return store.run(${planName}, args);`, '}'].join('\n');
  }
  return [plan, '', ...doc, body].join('\n');
}

function mappings(ctx: Context, guards: GuardInfo[]): string {
  const sql: string[] = [];
  const prisma: string[] = [];
  // Fenced resources keep the highest token per lock in a column of their own.
  const fences = new Map<string, Set<string>>();
  for (const g of guards) {
    const visitOps = (ops: readonly PlanOp[]) => {
      for (const o of ops) {
        if (o.op === 'write' && o.fence) fences.set(o.resource, (fences.get(o.resource) ?? new Set()).add(o.fence.field.slice('fence:'.length)));
        if (o.op === 'if') {
          visitOps(o.then);
          visitOps(o.else);
        }
      }
    };
    visitOps(g.plan.ops);
  }
  // Deriving table and column names is lossy (`aB` and `a_b` are both `a_b`): each name is
  // claimed once, so two model names never silently share a table or a column.
  const plain = () => new NameTable([], { identifiers: false });
  const tables = plain();
  const models = plain();
  for (const r of ctx.model.catalog.resources.values()) {
    const cols: string[] = [];
    const fields: string[] = [];
    const columnTable = new NameTable(['id'], { identifiers: false });
    const fieldTable = new NameTable(['id'], { identifiers: false });
    const ordered = [...r.fields].sort(([a], [b]) => Number(b === 'state') - Number(a === 'state'));
    for (const [field, type] of ordered) {
      const column = columnTable.claim(field === 'state' ? 'status' : type.kind === 'ref' ? `${snake(field)}_id` : snake(field));
      const prismaField = fieldTable.claim(field === 'state' ? 'status' : type.kind === 'ref' ? `${lowerFirst(field)}Id` : field);
      cols.push(`${key(field)}: ${str(column)}`);
      fields.push(`${key(field)}: ${str(prismaField)}`);
    }
    for (const lock of [...(fences.get(r.name) ?? [])].sort()) {
      cols.push(`${key(fenceField(lock))}: ${str(columnTable.claim(`${snake(lock)}_fence`))}`);
      fields.push(`${key(fenceField(lock))}: ${str(fieldTable.claim(`${camel(lock)}Fence`))}`);
    }
    sql.push(`  ${key(r.name)}: { table: ${str(tables.claim(snake(r.name)))}, id: "id", columns: { ${cols.join(', ')} } },`);
    prisma.push(`  ${key(r.name)}: { model: ${str(models.claim(lowerFirst(r.name)))}, id: "id", fields: { ${fields.join(', ')} } },`);
  }
  return [
    '/** Default SQL layout: table per resource (snake_case), `id`, `status` for the state, `<ref>_id` for references, `<lock>_fence` for fencing tokens. Pass your own to sqlStore. */',
    `export const SQL_TABLES = {\n${sql.join('\n')}\n} as const satisfies SqlMapping;`,
    '',
    '/** Default Prisma layout: `prisma.<resource>` delegates, `id`, `status`, `<ref>Id`. Pass your own to prismaStore. */',
    `export const PRISMA_MODELS = {\n${prisma.join('\n')}\n} as const satisfies PrismaMapping;`,
  ].join('\n');
}

/** A short example of calling the first guard, in the file's opening comment. */
function usage(guards: GuardInfo[]): string[] {
  const g = guards[0];
  if (!g) return ['//', '// This model has no cas, atomic or fenced write step, so there is no guard to call.'];
  const args = [...g.plan.args.params.keys(), ...g.plan.args.locals.keys(), ...g.plan.args.tokens.keys()].map((a) => `${a}: …`).join(', ');
  return [
    '//',
    '// Use:',
    "//   const store = sqlStore(pgDriver(pool), SQL_TABLES);   // pg's Pool; or sqliteDriver(db) for better-sqlite3,",
    '//                                                         // prismaStore(prisma, PRISMA_MODELS), memoryStore(rows)',
    `//   const result = await ${g.name}(store, { ${args} });`,
    "//   if (!result.ok) { /* nothing changed: result.outcome ('abort' | 'skip' | 'retry'), result.reason */ }",
  ];
}

export function guardsFile(ctx: Context): string {
  const guards = collectGuards(ctx);
  const parts = [
    tsHeader(ctx, 'guards.ts', 'test-and-set guards for every cas, atomic and fenced write step'),
    '/* eslint-disable */',
    '',
    `// ─── Guards of "${commentLine(ctx.model.document.name)}" ${'─'.repeat(20)}`,
    '// The model\'s guards first; the runtime they use (stores, drivers) follows below.',
    ...usage(guards),
    '',
    mappings(ctx, guards),
  ];
  for (const g of guards) parts.push('', guardSource(g, ctx.model.operations.get(g.operation)!));
  parts.push(
    '',
    '/** Every guard by name. */',
    `export const GUARDS = {${guards.length ? `\n${guards.map((g) => `  ${g.name},`).join('\n')}\n` : ''}} as const;`,
    '',
    GUARDS_RUNTIME.trimEnd(),
    '',
  );
  return parts.join('\n');
}
