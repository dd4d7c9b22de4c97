#!/usr/bin/env node
// The `lockstep` command. Runs the same TypeScript checker the browser and server use, from a cached
// bundle of the sources (cli-bundle.mjs); through tsx when the bundle cannot be built.
import { bundledCommand } from './cli-bundle.mjs';

const [command, ...args] = process.argv.slice(2);
async function load(name, file) {
  try {
    return await bundledCommand(name);
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    return import(file);
  }
}
const commands = {
  check: async () => (await load('check', './commands/check.ts')).runCheck(args),
  export: async () => (await load('export', './commands/export.ts')).runExport(args),
  diff: async () => (await load('diff', './commands/diff.ts')).runDiff(args),
};
if (!command || command === '--help' || command === '-h' || !(command in commands)) {
  const unknown = command && !(command in commands) && command !== '--help' && command !== '-h';
  (unknown ? console.error : console.log)(
    [
      ...(unknown ? [`lockstep: unknown command '${command}'`, ''] : []),
      'Usage:',
      '  lockstep check FILE [--scenario NAME] [--max-states N] [--max-depth N] [--time-limit MS]',
      '                      [--no-symmetry] [--no-merge] [--simulate RUNS [--seed N]] [--json] [--quiet]',
      '                      [--workers K]   (K ≤ 254 threads in all, from 20,000 states; default: every core, within a cgroup CPU quota, once a search passes 1 s)',
      '  lockstep export FILE --out DIR',
      '  lockstep diff OLD.json NEW.json [--json]',
      '',
      'check exits 0 when every scenario meets its expect (or passes), 1 otherwise, 2 on an invalid document.',
      'diff checks every scenario of both documents and prints how each verdict moved; it exits 1 when a',
      'scenario that met its expect no longer does, 2 on an invalid document, 0 otherwise.',
    ].join('\n'),
  );
  process.exit(unknown ? 2 : 0);
}
process.exitCode = await commands[command]();
