// The Prisma schema is written once (prisma/schema.prisma, provider sqlite);
// the PostgreSQL variant is derived from it here, so the two can never drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_PATH = path.join(ROOT, 'prisma', 'schema.prisma');
export const PROVIDERS = /** @type {const} */ (['sqlite', 'postgresql']);

/** The schema text for one provider. */
export function schemaFor(provider, source = readFileSync(SCHEMA_PATH, 'utf8')) {
  if (provider === 'sqlite') return source;
  if (provider !== 'postgresql') throw new Error(`unknown provider ${provider}`);
  const out = source
    .replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace('output       = "../lib/db/generated/sqlite"', 'output       = "../lib/db/generated/postgresql"');
  if (!out.includes('"postgresql"') || !out.includes('generated/postgresql')) {
    throw new Error('prisma/schema.prisma: could not derive the PostgreSQL variant (provider/output lines changed?)');
  }
  return out;
}
