/**
 * guards.ts: one test-and-set guard per `cas`, `atomic` and fenced `write`
 * step, named after its operation and label, typed by the model's fields, each
 * with its doc comment and its plan. The stores that run the plans live in
 * `lockstep-runtime/` (runtime-files.ts); this file holds only the model's code.
 */
import type { AnalyzedOperation } from '../model/analyzed';
import type { Type } from '../model/expr/types';
import { unreachable } from '../model/walk';
import { tsHeader, type Context } from './context';
import { guardDoc } from './guard-doc';
import { collectGuards, conditionType, type GuardInfo } from './guard-info';
import { mappings } from './mappings';
import { commentLine, member, str, typeKey } from './names';
import { pretty, prettyBlock, WIDTH } from './pretty';
import { RUNTIME_DIR } from './runtime-files';

export { collectGuards, type GuardInfo } from './guard-info';

/** What guards.ts imports, by module; an import is written only when the file uses the name. */
const IMPORTS: ReadonlyArray<[module: string, names: readonly string[]]> = [
  [`./${RUNTIME_DIR}/guard-plan.js`, ['GuardPlan', 'GuardResult', 'GuardStore', 'RowId', 'UpdateResult']],
  [`./${RUNTIME_DIR}/sql-store.js`, ['SqlMapping']],
  [`./${RUNTIME_DIR}/prisma-store.js`, ['PrismaMapping']],
];

/** The state union states.ts declares for a resource. */
const stateType = (resource: string) => `${resource}State`;

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
    default:
      return unreachable(type, 'type');
  }
}

/** `Fields`: each resource's fields and their types, so `compareAndSet` only accepts a resource's own values. */
function fieldsType(ctx: Context): string {
  const lines = [...ctx.model.catalog.resources.values()].map((r) => {
    const fields = [...r.fields].map(([f, type]) => `${typeKey(f)}: ${f === 'state' ? stateType(r.name) : tsType(type)}`);
    return `  ${typeKey(r.name)}: { ${fields.join('; ')} };`;
  });
  return [
    "/** Each resource's field types: a store typed by them only accepts a resource's own states. */",
    `export type Fields = {\n${lines.join('\n')}\n};`,
  ].join('\n');
}

function argsType(g: GuardInfo): string {
  const fields = [
    ...[...g.plan.args.params].map(([name]) => `readonly ${typeKey(name)}: RowId`),
    ...[...g.plan.args.locals].map(([name, type]) => `readonly ${typeKey(name)}: ${tsType(type)}`),
    ...[...g.plan.args.tokens].map(([name]) => `readonly ${typeKey(name)}: number`),
  ];
  return fields.length ? `{ ${fields.join('; ')} }` : 'Record<string, never>';
}

/** `const changed = await store.compareAndSet(…);`, its arguments on a line of their own when too long. */
function compareAndSetCall(args: string[]): string[] {
  const flat = `  const changed = await store.compareAndSet(${args.join(', ')});`;
  return flat.length <= WIDTH ? [flat] : ['  const changed = await store.compareAndSet(', `    ${args.join(', ')},`, '  );'];
}

/** `(store, args): Promise<GuardResult>`, one parameter per line when the line would be too long. */
function signature(head: string, g: GuardInfo): string {
  const params = ['store: GuardStore<Fields>', `args: ${argsType(g)}`];
  const flat = `${head}(${params.join(', ')}): Promise<GuardResult> {`;
  return flat.length <= WIDTH ? flat : [`${head}(`, ...params.map((p) => `  ${p},`), '): Promise<GuardResult> {'].join('\n');
}

/** `(store, args): Promise<UpdateResult<…>>` for an update guard. */
function updateSignature(head: string, g: GuardInfo, conditions: string): string {
  const params = ['store: GuardStore<Fields>', `args: ${argsType(g)}`];
  const result = `Promise<UpdateResult<${conditions}>>`;
  const flat = `${head}(${params.join(', ')}): ${result} {`;
  return flat.length <= WIDTH ? flat : [`${head}(`, ...params.map((p) => `  ${p},`), `): ${result} {`].join('\n');
}

/** The guard's function: a direct compareAndSet for a plain cas, else the store runs the plan. */
function guardFunction(g: GuardInfo, planName: string): string[] {
  if (g.step.kind === 'update') {
    const outcome = g.step.onFail ? 'onFail' : g.step.else;
    const conditions = conditionType(g.name);
    return [
      updateSignature(`export async function ${g.name}`, g, conditions),
      `  const result = await store.run(${planName}, args);`,
      `  return updateResult<${conditions}>(result, ${str(outcome)});`,
      '}',
    ];
  }
  const first = g.plan.ops[0];
  if (g.step.kind === 'cas' && g.plan.ops.length === 1 && first?.kind === 'cas' && first.row.kind === 'arg') {
    const call = [str(first.resource), member('args', first.row.name), str(first.field), pretty(first.from), pretty(first.to)];
    const failed = pretty({ ok: false, outcome: g.step.else, reason: g.step.message, guard: g.name }, '  return '.length, 2);
    return [
      signature(`export async function ${g.name}`, g),
      ...compareAndSetCall(call),
      '  if (changed) return { ok: true, values: {}, returned: false };',
      `  return ${failed};`,
      '}',
    ];
  }
  if (g.step.kind === 'cas' || g.step.kind === 'write') {
    const outcome = g.step.kind === 'cas' ? g.step.else : 'abort';
    return [
      signature(`export async function ${g.name}`, g),
      `  const result = await store.run(${planName}, args);`,
      `  return result.ok ? result : { ...result, outcome: ${str(outcome)} };`,
      '}',
    ];
  }
  return [signature(`export function ${g.name}`, g), `  return store.run(${planName}, args);`, '}'];
}

/** One guard: its doc comment, its function, then the plan the stores run. */
function guardSource(g: GuardInfo, op: AnalyzedOperation): string {
  const planName = `${g.name}Plan`;
  const plan = {
    guard: g.name,
    operation: op.name,
    step: g.step.label ?? g.step.path,
    resources: [...new Set([...g.plan.reads, ...g.plan.writes])].sort(),
    ops: g.plan.ops,
  };
  const conditions =
    g.step.kind === 'update'
      ? [
          `/** The conditions of \`${g.name}\` in the model's order; \`failedAs\` is the first that failed. */`,
          `export type ${conditionType(g.name)} = ${[...new Set(g.step.conditions)].map(str).join(' | ') || 'never'};`,
          '',
        ]
      : [];
  return [
    ...conditions,
    ...guardDoc(g, op),
    ...guardFunction(g, planName),
    '',
    `/** What \`${g.name}\` runs in one transaction. */`,
    `export const ${planName} = ${prettyBlock(plan)} as const satisfies GuardPlan;`,
  ].join('\n');
}

/** A short example of calling the first guard, in the file's opening comment. */
function usage(guards: GuardInfo[]): string[] {
  const g = guards[0];
  if (!g) return ['// This model has no cas, atomic, update or fenced write step, so there is no guard to call.'];
  const args = [...g.plan.args.params.keys(), ...g.plan.args.locals.keys(), ...g.plan.args.tokens.keys()].map((a) => `${a}: …`).join(', ');
  const rt = `./${RUNTIME_DIR}`;
  return [
    '// Pick a store from the runtime beside this file, then call a guard:',
    `//   import { sqlStore } from '${rt}/sql-store.js';`,
    `//   import { pgDriver } from '${rt}/pg-driver.js'; // or sqliteDriver (better-sqlite3)`,
    '//   const store = sqlStore(pgDriver(pool), SQL_TABLES);',
    '//   // or prismaStore(prisma, PRISMA_MODELS) (prisma-store.js), memoryStore(rows) (memory-store.js)',
    `//   const result = await ${g.name}(store, {`,
    `//     ${args},`,
    '//   });',
    ...(g.step.kind === 'update'
      ? [
          '//   // result.changed false: nothing changed; result.failed lists each failed condition',
          '//   // (expected vs actual), result.outcome says what the model does next.',
        ]
      : ['//   // result.ok false: nothing changed; see result.outcome (abort, skip, retry) and result.reason.']),
  ];
}

/** The names guards.ts declares or imports itself: no guard may take one. */
export function guardsFileNames(ctx: Context): string[] {
  const states = [...ctx.model.catalog.resources.keys()].map(stateType);
  return ['SQL_TABLES', 'PRISMA_MODELS', 'GUARDS', 'Fields', 'updateResult', ...IMPORTS.flatMap(([, names]) => names), ...states];
}

function imports(ctx: Context, body: string): string[] {
  const used = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
  const lines = IMPORTS.map(([module, names]) => [module, names.filter(used)] as const)
    .filter(([, names]) => names.length)
    .map(([module, names]) => `import type { ${names.join(', ')} } from '${module}';`);
  if (/\bupdateResult</.test(body)) lines.unshift(`import { updateResult } from './${RUNTIME_DIR}/guard-plan.js';`);
  const states = [...ctx.model.catalog.resources.keys()].map(stateType).filter(used);
  if (states.length) lines.push(`import type { ${states.join(', ')} } from './states.js';`);
  return lines;
}

export function guardsFile(ctx: Context, guards: GuardInfo[] = collectGuards(ctx, guardsFileNames(ctx))): string {
  const sections = [
    `// ─── Guards of "${commentLine(ctx.model.document.name)}" ${'─'.repeat(20)}`,
    ...usage(guards),
  ];
  if (guards.length) sections.push('', fieldsType(ctx), '', mappings(ctx, guards));
  for (const g of guards) sections.push('', guardSource(g, ctx.model.operations.get(g.operation)!));
  sections.push('', '/** Every guard by name. */', `export const GUARDS = {${guards.length ? `\n${guards.map((g) => `  ${g.name},`).join('\n')}\n` : ''}} as const;`);
  const body = sections.join('\n');
  const head = [tsHeader(ctx, 'guards.ts', 'test-and-set guards for every cas, atomic, update and fenced write step'), ...imports(ctx, body)];
  return `${head.join('\n')}\n\n${body}\n`;
}
