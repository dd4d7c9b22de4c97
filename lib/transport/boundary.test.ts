/**
 * Client code takes the shapes that cross HTTP from lib/transport, never from
 * the server-only modules: lib/db (Prisma, SQL) and lib/server (route logic).
 * A client that imports them couples the UI to storage. Scans the source text
 * of components/ and the client-side libraries; type-only imports count too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT_DIRS = ['components', 'lib/browser', 'lib/editor', 'lib/transport'];

function sources(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs)) {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) out.push(...sources(relative(root, path)));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry) && !/\.test\.(ts|tsx|mts)$/.test(entry)) out.push(relative(root, path));
  }
  return out;
}

/** Module specifiers a file imports, re-exports or requires. */
function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!));
}

const SERVER_ONLY = ['lib/db', 'lib/server'];

/** Whether `specifier`, imported from `file` (repository-relative), names a server-only module `file` must not import. */
function reachesServer(file: string, specifier: string): boolean {
  const target = specifier.startsWith('@/') ? specifier.slice(2) : specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : null;
  return target !== null && SERVER_ONLY.some((dir) => target === dir || target.startsWith(`${dir}/`));
}

describe('client code does not import lib/db or lib/server', () => {
  const files = CLIENT_DIRS.flatMap(sources);

  it('finds the client sources', () => {
    expect(files).toContain('components/editor/Editor.tsx');
    expect(files).toContain('lib/transport/models.ts');
  });

  it('no file under components/ (or the client libraries) imports lib/db or lib/server: the shapes come from lib/transport', () => {
    const problems = files.flatMap((file) =>
      specifiers(readFileSync(join(root, file), 'utf8'))
        .filter((s) => reachesServer(file, s))
        .map((s) => `${file} imports '${s}'`),
    );
    expect(problems).toEqual([]);
  });

  it('the scanner catches each way of spelling that import', () => {
    const at = 'components/editor/Editor.tsx';
    expect(specifiers("import type { VersionRecord } from '@/lib/db/models';").filter((s) => reachesServer(at, s))).toEqual(['@/lib/db/models']);
    expect(reachesServer(at, '../../lib/db/models')).toBe(true);
    expect(reachesServer('lib/browser/x.ts', '../db')).toBe(true);
    expect(reachesServer(at, '@/lib/db')).toBe(true);
    expect(specifiers("const m = await import('@/lib/db/runs')").filter((s) => reachesServer(at, s))).toHaveLength(1);
    expect(reachesServer(at, '@/lib/transport/models')).toBe(false);
    expect(reachesServer(at, '@/lib/dbx')).toBe(false);
    expect(reachesServer(at, '@/lib/server/runs-api')).toBe(true);
    expect(reachesServer('lib/editor/x.ts', '../server/workspaces')).toBe(true);
    expect(reachesServer('lib/transport/x.ts', '../db/models')).toBe(true);
  });
});

/** The other way round: server and shared code take nothing from the browser side (lib/browser, components). */
describe('server and shared code do not import lib/browser or components', () => {
  const SERVER_DIRS = ['lib/server', 'lib/db', 'lib/jobs', 'lib/auth', 'lib/check', 'lib/model', 'lib/codegen', 'lib/transport', 'bin'];
  const browserSide = (file: string, specifier: string) => {
    const target = specifier.startsWith('@/') ? specifier.slice(2) : specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : null;
    return target !== null && ['lib/browser', 'components'].some((dir) => target === dir || target.startsWith(`${dir}/`));
  };

  it('no server or shared module imports lib/browser or components (what both sides use lives in lib/check or lib/transport)', () => {
    const files = SERVER_DIRS.flatMap(sources);
    expect(files).toContain('lib/server/runs-api.ts');
    const problems = files.flatMap((file) =>
      specifiers(readFileSync(join(root, file), 'utf8'))
        .filter((s) => browserSide(file, s))
        .map((s) => `${file} imports '${s}'`),
    );
    expect(problems).toEqual([]);
    expect(browserSide('lib/server/x.ts', '@/lib/browser/replay')).toBe(true);
    expect(browserSide('lib/server/x.ts', '../browser/trace-model')).toBe(true);
    expect(browserSide('lib/server/x.ts', '@/lib/check/replay')).toBe(false);
  });
});
