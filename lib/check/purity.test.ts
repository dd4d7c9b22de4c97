/**
 * lib/check, lib/model (and lib/codegen when it exists) are pure TypeScript:
 * the browser's Web Worker, the server and the CLI run the same code. No Node,
 * DOM, React or Next import, and no use of `window`/`document`.
 * Scans the source text; tests and testing helpers are exempt.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DIRS = ['lib/check', 'lib/model', 'lib/codegen'];

function sources(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs)) {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) {
      if (entry === 'testing' || entry === 'node_modules' || entry === '__tests__') continue;
      out.push(...sources(relative(root, path)));
    } else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry) && !/\.test\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith('.d.ts')) {
      out.push(relative(root, path));
    }
  }
  return out;
}

/** Module specifiers a file imports, re-exports or requires (type-only imports included: keep it simple and strict). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) out.push(match[1]);
  return out;
}

const NODE_BUILTINS = new Set([
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'worker_threads', 'stream', 'events', 'process', 'buffer', 'zlib', 'module', 'perf_hooks', 'readline', 'tty', 'vm', 'assert',
]);

function forbidden(specifier: string): string | null {
  if (specifier.startsWith('node:')) return 'a Node built-in';
  if (NODE_BUILTINS.has(specifier)) return 'a Node built-in';
  if (specifier === 'react' || specifier.startsWith('react/') || specifier.startsWith('react-dom')) return 'React';
  if (specifier === 'next' || specifier.startsWith('next/')) return 'Next.js';
  return null;
}

/** Source without comments and string contents, so prose like "no window" does not count. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, '""');
}

describe('purity of lib/check, lib/model and lib/codegen', () => {
  const files = DIRS.flatMap(sources);

  it('finds the sources to scan', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain('lib/check/semantics.ts');
    expect(files).toContain('lib/model/validate.ts');
    expect(files.some((f) => f.includes('/testing/') || f.endsWith('.test.ts'))).toBe(false);
  });

  it('imports nothing from Node, React or Next', () => {
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(readFileSync(join(root, file), 'utf8'))) {
        const why = forbidden(specifier);
        if (why) problems.push(`${file} imports '${specifier}' (${why})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses no window, document or other DOM/Node globals', () => {
    const problems: string[] = [];
    const globals = /(?<![\w$.])(window|document|localStorage|sessionStorage|navigator|process|require|__dirname|__filename|Buffer)\b(?!\s*:)/g;
    for (const file of files) {
      const text = code(readFileSync(join(root, file), 'utf8'));
      for (const match of text.matchAll(globals)) {
        // `process` is also a word in this domain: flag only `process.` member use (process.env, process.exit…).
        if (match[1] === 'process' && text[match.index! + match[0].length] !== '.') continue;
        problems.push(`${file}: uses ${match[1]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the scanner itself catches the forbidden forms', () => {
    expect(specifiers("import { readFileSync } from 'node:fs';").map(forbidden)).toEqual(['a Node built-in']);
    expect(specifiers("import path from 'path'").map(forbidden)).toEqual(['a Node built-in']);
    expect(specifiers("export { x } from 'react'").map(forbidden)).toEqual(['React']);
    expect(specifiers("const r = await import('next/server')").map(forbidden)).toEqual(['Next.js']);
    expect(specifiers("import type { Foo } from '../model/schema'").map(forbidden)).toEqual([null]);
    expect(code("const a = 'window'; // document\nwindow.x")).toContain('window.x');
    expect(code("const a = 'window'; // document\n")).not.toMatch(/window|document/);
  });
});
