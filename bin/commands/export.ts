/** `lockstep export FILE --out DIR [--version V] [--scenario NAME]`: writes the generated TypeScript (and diagram) for a model file. */
import './one-shot';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeModelJson } from '../../lib/model';
import { CodegenError, generate } from '../../lib/codegen';

export const EXIT_OK = 0;
/** The model is valid but a step cannot be generated faithfully. */
export const EXIT_CANNOT_GENERATE = 1;
/** Bad arguments, an unreadable file, or an invalid document. */
export const EXIT_INVALID = 2;

const USAGE = 'usage: lockstep export FILE --out DIR [--version V] [--scenario NAME]';

export async function runExport(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string', short: 'o' }, version: { type: 'string' }, scenario: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    err(`lockstep export: ${(error as Error).message}`);
    err(USAGE);
    return EXIT_INVALID;
  }
  if (parsed.values.help) {
    out(USAGE);
    out('Writes states.ts, guards.ts, locks.ts, machines.ts and diagram.md into DIR, and the runtime');
    out('they import (only the parts the model uses) into DIR/lockstep-runtime/.');
    out('--version names the model version in the generated headers (default: the file name).');
    out("--scenario generates the lock policies as that scenario checks them (its 'locks' overrides).");
    return EXIT_OK;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length || !parsed.values.out) {
    err(`lockstep export: ${!file ? 'which model file?' : extra.length ? `unexpected argument '${extra[0]}'` : '--out DIR is required'}`);
    err(USAGE);
    return EXIT_INVALID;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    err(`lockstep export: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT_INVALID;
  }
  const analyzed = analyzeModelJson(text);
  if (!analyzed.ok) {
    err(`${file}: the model is invalid (${analyzed.issues.length} ${analyzed.issues.length === 1 ? 'problem' : 'problems'}):`);
    for (const issue of analyzed.issues) err(`  ${issue.path || '(document)'}: ${issue.message}${issue.column ? ` (column ${issue.column})` : ''}`);
    return EXIT_INVALID;
  }
  let files;
  try {
    const scenario = parsed.values.scenario;
    files = generate(analyzed.value, { version: parsed.values.version ?? `local (${path.basename(file)})`, ...(scenario !== undefined ? { scenario } : {}) });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    err(`${file}: cannot generate code (${error.issues.length} ${error.issues.length === 1 ? 'step' : 'steps'}):`);
    for (const issue of error.issues) err(`  ${issue.path || '(model)'}: ${issue.message}`);
    return EXIT_CANNOT_GENERATE;
  }
  const dir = parsed.values.out;
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const target = path.join(dir, f.path);
      mkdirSync(path.dirname(target), { recursive: true }); // the runtime sits in a folder of its own
      writeFileSync(target, f.content);
      out(`wrote ${target} (${Buffer.byteLength(f.content)} bytes)`);
    }
  } catch (error) {
    err(`lockstep export: cannot write to ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT_INVALID;
  }
  out(`${files.length} files for "${analyzed.value.document.name}"`);
  return EXIT_OK;
}
