/**
 * The runtime the model's files import, written once beside them under
 * `lockstep-runtime/`: only the files the model uses, and without the fencing
 * code when no guard writes fenced. Sources live in runtime/ (embedded as text
 * in runtime-source.ts, so generation stays pure).
 */
import { tsHeader, type Context, type GeneratedFile } from './context';
import { RUNTIME_SOURCES } from './runtime-source';

/** The folder beside the model's files; the model's files import `./lockstep-runtime/<file>.js`. */
export const RUNTIME_DIR = 'lockstep-runtime';

/** What a model uses of the runtime. */
export interface RuntimeNeeds {
  /** At least one guard: the plan interpreter, the stores and the SQL drivers. */
  guards: boolean;
  /** A guard writes with a fencing token or reads a fence (`fence(r, L)`). */
  fencing: boolean;
  /** A guard is an `update` step (conditional update). */
  update: boolean;
  /** At least one lock: descriptors and withLocks. */
  locks: boolean;
  /** A lock an in-process provider can honour (process scope). */
  inProcessLocks: boolean;
  /** A lock PostgreSQL advisory locks can honour (no fencing tokens needed). */
  advisoryLocks: boolean;
}

/** Every runtime file, in the order an export lists them, with when it is written. */
const MODULES: ReadonlyArray<{ file: string; purpose: string; when: keyof RuntimeNeeds }> = [
  { file: 'guard-plan.ts', purpose: 'guard plans, their types and their interpreter', when: 'guards' },
  { file: 'memory-store.ts', purpose: 'the in-memory guard store', when: 'guards' },
  { file: 'sql-store.ts', purpose: 'the SQL guard store', when: 'guards' },
  { file: 'sql-render.ts', purpose: 'plan conditions rendered as SQL', when: 'guards' },
  { file: 'pg-driver.ts', purpose: 'the PostgreSQL driver of the SQL store (pg)', when: 'guards' },
  { file: 'sqlite-driver.ts', purpose: 'the SQLite driver of the SQL store (better-sqlite3)', when: 'guards' },
  { file: 'prisma-store.ts', purpose: 'the Prisma guard store', when: 'guards' },
  { file: 'locks.ts', purpose: 'lock descriptors, scope-typed providers and withLocks', when: 'locks' },
  { file: 'in-process-locks.ts', purpose: 'the in-process lock provider', when: 'inProcessLocks' },
  { file: 'pg-advisory-locks.ts', purpose: 'the PostgreSQL advisory lock provider', when: 'advisoryLocks' },
];

/** Every path a runtime file can have in an export. */
export const RUNTIME_PATHS = MODULES.map((m) => `${RUNTIME_DIR}/${m.file}`);

/** The flags `// #if <flag>` regions of the runtime sources test. */
export type RuntimeFlags = Pick<RuntimeNeeds, 'fencing' | 'update'>;

/**
 * Drops `// #if <flag>` … `// #endif` regions (flags: fencing, update; not nested) unless the
 * model needs them (the marker lines always go), and adds the `.js` extension Node's ESM resolution needs to
 * relative imports (the sources omit it so the app's bundler resolves them too).
 */
export function preprocess(source: string, flags: RuntimeFlags): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of source.split('\n')) {
    const marker = line.trim();
    const region = /^\/\/ #if (fencing|update)$/.exec(marker);
    if (region) {
      skipping = !flags[region[1] as keyof RuntimeFlags];
      continue;
    }
    if (marker === '// #endif') {
      skipping = false;
      continue;
    }
    // `import … from './x';` (or the last line of a multi-line import) gets `./x.js`.
    if (!skipping) out.push(line.replace(/^((?:import\b|export\b|\}).*\bfrom ')(\.\/[\w-]+)(';)$/, '$1$2.js$3'));
  }
  return out.join('\n');
}

/** What the model uses, from its lock policies (as the chosen scenario checks them) and its guards. */
export function runtimeNeeds(ctx: Context, guards: { guards: boolean } & RuntimeFlags): RuntimeNeeds {
  return {
    ...guards,
    locks: ctx.locks.length > 0,
    inProcessLocks: ctx.locks.some((l) => l.scope === 'process'),
    advisoryLocks: ctx.locks.some((l) => !l.fencing),
  };
}

/** The runtime files this model needs. */
export function runtimeFiles(ctx: Context, needs: RuntimeNeeds): GeneratedFile[] {
  return MODULES.filter((m) => needs[m.when]).map((m) => {
    const path = `${RUNTIME_DIR}/${m.file}`;
    const source = RUNTIME_SOURCES[m.file];
    if (source === undefined) throw new Error(`runtime-source.ts has no ${m.file}: run node tests/codegen/embed-runtime.mjs`);
    const header = tsHeader(ctx, path, `runtime: ${m.purpose}`);
    return { path, content: `${header}\n/* eslint-disable */\n\n${preprocess(source, { fencing: needs.fencing, update: needs.update }).trimEnd()}\n` };
  });
}
