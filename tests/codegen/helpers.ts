/** Shared by the codegen tests: the examples, generation, and temporary TypeScript projects compiled with the repo's tsc. */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { analyzeModelJson, type AnalyzedModel } from '@/lib/model';
import { generate, type GeneratedFile } from '@/lib/codegen';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');

/** Every example model shipped in examples/, analyzed. */
export function examples(): Array<{ file: string; model: AnalyzedModel }> {
  const dir = path.join(ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const analyzed = analyzeModelJson(readFileSync(path.join(dir, file), 'utf8'));
      if (!analyzed.ok) throw new Error(`${file} is invalid: ${JSON.stringify(analyzed.issues)}`);
      return { file, model: analyzed.value };
    });
}

export function example(file: string): AnalyzedModel {
  const found = examples().find((e) => e.file === file);
  if (!found) throw new Error(`no example ${file}`);
  return found.model;
}

export function generateExample(file: string, version: number | string = 1): GeneratedFile[] {
  return generate(example(file), { version });
}

/** The strictest settings a service might use: generated code must compile under all of them. */
export const STRICT_OPTIONS = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022'],
  types: [] as string[],
  skipLibCheck: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
};

/** A fresh directory under .tmp/ (gitignored; inside the repo so `xstate`, `pg`… resolve from its node_modules). */
export function tempProject(name: string, files: Record<string, string>, options: Record<string, unknown> = {}): { dir: string; remove(): void } {
  const dir = path.join(ROOT, '.tmp', `codegen-${name}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...STRICT_OPTIONS, noEmit: true, ...options }, include: ['**/*.ts'] }, null, 2),
  );
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the repo's tsc on a project; resolves with its exit code and output. */
export function tsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(TSC, ['-p', dir, '--pretty', 'false'], { cwd: dir, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

export function filesOf(generated: GeneratedFile[]): Record<string, string> {
  return Object.fromEntries(generated.map((f) => [f.path, f.content]));
}

/** A service module that imports every generated .ts file (the runtime's too), so an unused-export mistake cannot hide from tsc. */
export function serviceImportingEveryFile(files: Record<string, string>): string {
  const modules = Object.keys(files)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `./${f.replace(/\.ts$/, '.js')}`);
  return [...modules.map((m, i) => `import * as m${i} from '${m}';`), `export const all = [${modules.map((_, i) => `m${i}`).join(', ')}];`].join('\n');
}

/** The generated files a module needs to compile: the ones named, plus the runtime (and states.ts, which guards.ts imports). */
export function withRuntime(files: Record<string, string>, ...names: string[]): Record<string, string> {
  const picked = Object.entries(files).filter(([f]) => names.includes(f) || f.startsWith('lockstep-runtime/') || f === 'states.ts');
  return Object.fromEntries(picked);
}
