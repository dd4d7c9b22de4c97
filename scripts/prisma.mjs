#!/usr/bin/env node
// Prisma tooling that works without Prisma's native engines (see README, "Storage").
//
//   node scripts/prisma.mjs generate          one client per provider into lib/db/generated/
//   node scripts/prisma.mjs migration NAME    write prisma/migrations/{sqlite,postgresql}/<ts>_NAME/migration.sql
//   node scripts/prisma.mjs check             exit 1 if schema.prisma has changes no migration covers
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, PROVIDERS, schemaFor } from './lib/schema.mjs';

const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');
const SNAPSHOT = path.join(MIGRATIONS, 'schema.snapshot.prisma');
const TMP = path.join(ROOT, '.tmp', 'prisma');

function generate() {
  mkdirSync(TMP, { recursive: true });
  // `prisma generate` only uses Wasm, but the CLI insists on finding a native
  // schema engine first (and would download one, which fails offline); any
  // existing file satisfies it.
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  const bin = path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js');
  for (const provider of PROVIDERS) {
    const file = path.join(TMP, `schema.${provider}.prisma`);
    // Relative output paths resolve from the schema file: keep it beside the source.
    const text = schemaFor(provider).replaceAll('"../lib/db/generated/', `"${path.relative(TMP, path.join(ROOT, 'lib/db/generated'))}/`);
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, [bin, 'generate', '--schema', file], { cwd: ROOT, env, encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(r.stdout + r.stderr);
      throw new Error(`prisma generate (${provider}) failed`);
    }
  }
  console.log('prisma: generated clients for sqlite and postgresql in lib/db/generated/');
}

async function diff(provider, fromText, toText) {
  const { loadSchemaEngine } = await import('./lib/schema-engine.mjs');
  return loadSchemaEngine(provider, (engine) =>
    engine.diff({
      from: fromText === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: fromText }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toText }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
}

const isEmptyScript = (sql) => !sql || /^\s*(--[^\n]*\n?\s*)*$/.test(sql) || sql.includes('This is an empty migration');

async function migration(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: migration NAME (lowercase letters, digits, _)');
  const source = readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
  const previous = existsSync(SNAPSHOT) ? readFileSync(SNAPSHOT, 'utf8') : null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  let wrote = 0;
  for (const provider of PROVIDERS) {
    const result = await diff(provider, previous === null ? null : schemaFor(provider, previous), schemaFor(provider, source));
    const sql = result.stdout ?? '';
    if (isEmptyScript(sql)) continue;
    const dir = path.join(MIGRATIONS, provider, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
    wrote++;
  }
  if (wrote === 0) console.log('schema.prisma has no changes since the last migration');
  else writeFileSync(SNAPSHOT, source);
}

async function check() {
  const source = readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
  const previous = existsSync(SNAPSHOT) ? readFileSync(SNAPSHOT, 'utf8') : null;
  for (const provider of PROVIDERS) {
    const dirs = existsSync(path.join(MIGRATIONS, provider)) ? readdirSync(path.join(MIGRATIONS, provider)) : [];
    if (dirs.length === 0) throw new Error(`no migrations for ${provider}`);
    const result = await diff(provider, previous === null ? null : schemaFor(provider, previous), schemaFor(provider, source));
    if (!isEmptyScript(result.stdout ?? '')) {
      throw new Error(`prisma/schema.prisma changed since the last migration (${provider}); run npm run db:migration -- <name>`);
    }
  }
  console.log('prisma: migrations are up to date with schema.prisma');
}

const [cmd, arg] = process.argv.slice(2);
try {
  if (cmd === 'generate') generate();
  else if (cmd === 'migration') await migration(arg);
  else if (cmd === 'check') await check();
  else throw new Error('usage: node scripts/prisma.mjs generate | migration NAME | check');
} catch (error) {
  console.error(`prisma: ${error.message}`);
  process.exit(1);
}
