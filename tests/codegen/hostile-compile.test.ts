/**
 * Fuzz: models with hostile names and text (quotes, backslashes, `*\/`, `${`,
 * backticks, U+2028, `__proto__`, reserved words, names that collide once
 * camel-cased…), all accepted by lib/model. Their generated .ts files compile
 * with tsc --strict in one batch; importing them runs no injected code; every
 * lock, resource, state and field is still a key of the generated tables, and
 * the synthetic model's guards run end to end on the memory store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@/lib/codegen';
import { filesOf, ROOT, serviceImportingEveryFile, tempProject, tsc } from './helpers';
import { validModels, type HostileModel } from './hostile';

const MODELS = 80;
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

/** What the import check expects of one model's generated tables. */
function expectations({ model, synthetic }: HostileModel) {
  const doc = model.document;
  const resources = doc.resources.map((r) => ({
    name: r.name,
    states: r.states.map((s) => s.name),
    initial: r.initial,
    fields: ['state', ...(r.fields ?? []).map((f) => f.name)],
    edges: r.transitions.map((t) => [t.from, t.to]),
    transitionNames: Object.fromEntries(r.transitions.filter((t) => t.name).map((t) => [`${t.from}->${t.to}`, t.name])),
  }));
  const first = doc.resources[0]!;
  const op = doc.operations[0]!;
  const cas = op.steps[0] as { message?: string };
  const run = synthetic
    ? {
        resource: first.name,
        param: op.params[0]!.name,
        states: first.states.map((s) => s.name),
        field: first.fields![0]!.name,
        row: [['state', first.states[0]!.name], [first.fields![0]!.name, 0], [first.fields![1]!.name, first.fields![1]!.initial]],
        casMessage: cas.message,
      }
    : null;
  return { locks: doc.locks.map((l) => l.name), operations: doc.operations.map((o) => o.name), resources, run };
}

function node(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('generated code is safe for hostile names', () => {
  const models = validModels(MODELS, 20240901);

  it(`has ${MODELS} valid hostile models, most of them synthetic`, () => {
    expect(models).toHaveLength(MODELS);
    expect(models.filter((m) => m.synthetic).length).toBeGreaterThan(MODELS / 2);
  });

  it('every generated .ts file compiles with tsc --strict, and importing it runs no payload and loses no name', async () => {
    const project = tempProject('hostile', {}, { noEmit: false, declaration: false, sourceMap: false });
    cleanups.push(project.remove);
    // One tsc run over every model: each in its own folder, as a service would import it.
    writeFileSync(
      path.join(project.dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...JSON.parse((await import('node:fs')).readFileSync(path.join(project.dir, 'tsconfig.json'), 'utf8')).compilerOptions }, include: ['m*/**/*.ts'] }),
    );
    const dirs: string[] = [];
    models.forEach((m, i) => {
      const dir = path.join(project.dir, `m${i}`);
      mkdirSync(dir);
      const files = filesOf(generate(m.model, { version: 'v1 */ "${globalThis.__pwned = 1}"' }));
      files['service.ts'] = serviceImportingEveryFile(files);
      for (const [file, content] of Object.entries(files)) {
        if (!file.endsWith('.ts')) continue;
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
      writeFileSync(path.join(dir, 'expect.json'), JSON.stringify(expectations(m)));
      dirs.push(dir);
    });
    const compiled = await tsc(project.dir);
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
    expect(readdirSync(dirs[0]!)).toContain('guards.js');

    const imported = await node([path.join(ROOT, 'tests', 'codegen', 'hostile-import.mjs'), ...dirs], project.dir);
    const report = imported.output.split('@@REPORT@@')[1];
    expect(report, imported.output.slice(-3000)).toBeDefined();
    expect(JSON.parse(report!).problems).toEqual([]);
    expect(imported.code).toBe(0);
  }, 120_000);
});
