// Loads Prisma's schema engine from @prisma/schema-engine-wasm in Node.
// The package's ESM entry imports a .wasm file (Node refuses that), so we
// instantiate the module ourselves with its wasm-bindgen glue as imports.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

let glue;
async function loadGlue() {
  if (glue) return glue;
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  glue = await import(path.join(dir, 'schema_engine_bg.js'));
  const bytes = readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return glue;
}

/**
 * Runs `fn(engine)` with a schema engine for `provider`. `diff` between two
 * datamodels needs no database; the engine still wants an adapter, so it gets
 * an in-memory SQLite one, which is never queried by a datamodel-to-datamodel
 * diff: the SQL flavour follows the datamodels' provider.
 */
export async function loadSchemaEngine(provider, fn) {
  const { SchemaEngine } = await loadGlue();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const factory = new PrismaBetterSqlite3({ url: ':memory:' });
  const datamodel = `datasource db {\n  provider = "${provider}"\n}\n`;
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } finally {
    engine.free?.();
  }
}
