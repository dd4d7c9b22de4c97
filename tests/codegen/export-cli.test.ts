/** `lockstep export FILE --out DIR`, through runExport (the lead's dispatcher calls it) and through the real binary. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runExport } from '@/bin/commands/export';
import { generate } from '@/lib/codegen';
import { example, ROOT } from './helpers';

const shareFile = path.join(ROOT, 'examples', 'share-delete-vs-snapshot.json');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runExport(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'lockstep-export-'));

describe('lockstep export', () => {
  it('writes the generated files, prints what it wrote, exits 0', async () => {
    const dir = path.join(tmp(), 'gen');
    const { code, out, err } = await run([shareFile, '--out', dir, '--version', '3']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['diagram.md', 'guards.ts', 'locks.ts', 'lockstep-runtime', 'machines.ts', 'states.ts']);
    // The runtime the guards import (no locks in this model: no lock runtime).
    expect(readdirSync(path.join(dir, 'lockstep-runtime')).sort()).toEqual(
      ['guard-plan.ts', 'memory-store.ts', 'pg-driver.ts', 'prisma-store.ts', 'sql-render.ts', 'sql-store.ts', 'sqlite-driver.ts'],
    );
    expect(out).toContain(`wrote ${path.join(dir, 'guards.ts')}`);
    expect(out).toContain(`wrote ${path.join(dir, 'lockstep-runtime', 'sql-store.ts')}`);
    // Exactly what the generator gives for that version.
    for (const f of generate(example('share-delete-vs-snapshot.json'), { version: 3 })) expect(readFileSync(path.join(dir, f.path), 'utf8')).toBe(f.content);
  });

  it('an invalid document: path-named errors on stderr, exit 2, nothing written', async () => {
    const model = JSON.parse(readFileSync(shareFile, 'utf8'));
    model.operations[0].steps[0].expr = 'share.stat';
    const file = path.join(tmp(), 'bad.json');
    writeFileSync(file, JSON.stringify(model));
    const dir = path.join(tmp(), 'gen');
    const { code, err } = await run([file, '--out', dir]);
    expect(code).toBe(2);
    expect(err).toMatch(/^.*bad\.json: the model is invalid \(\d+ problems?\):/);
    expect(err).toContain('operations[0].steps[0].expr:');
    expect(() => readdirSync(dir)).toThrow();
  });

  it('malformed JSON and missing arguments exit 2 with a message', async () => {
    const file = path.join(tmp(), 'broken.json');
    writeFileSync(file, '{ "name": ');
    expect((await run([file, '--out', tmp()])).err).toMatch(/not valid JSON/);
    const noOut = await run([shareFile]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out DIR is required');
    expect((await run(['/nonexistent/model.json', '--out', tmp()])).err).toContain('ENOENT');
  });

  it('a step that cannot be generated: exit 1 naming the step', async () => {
    const model = JSON.parse(readFileSync(shareFile, 'utf8'));
    model.operations[2].steps[0].steps.unshift({ kind: 'require', cond: 'at(createSnapshot, "driver-snapshot") == 0' });
    const file = path.join(tmp(), 'at.json');
    writeFileSync(file, JSON.stringify(model));
    const { code, err } = await run([file, '--out', tmp()]);
    expect(code).toBe(1);
    expect(err).toContain('operations[2].steps[0].steps[0]: deleteShare: at(createSnapshot, "driver-snapshot")');
  });

  it('--scenario generates the locks as that scenario checks them', async () => {
    const dir = path.join(tmp(), 'gen');
    const file = path.join(ROOT, 'examples', 'lock-scope.json');
    expect((await run([file, '--out', dir, '--scenario', 'cluster-lock-two-nodes'])).code).toBe(0);
    const locks = readFileSync(path.join(dir, 'locks.ts'), 'utf8');
    expect(locks).toContain('scope: "cluster"');
    expect(locks).toContain('backend: "etcd"');
    const unknown = await run([file, '--out', dir, '--scenario', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no scenario 'nope'");
  });

  it('runs through bin/lockstep.mjs', () => {
    const dir = path.join(tmp(), 'gen');
    const stdout = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'lockstep.mjs'), 'export', shareFile, '--out', dir], { encoding: 'utf8' });
    expect(stdout).toContain('12 files for "Share delete vs snapshot"');
    expect(readFileSync(path.join(dir, 'states.ts'), 'utf8')).toContain('version local (share-delete-vs-snapshot.json)');
  }, 60_000);
});
