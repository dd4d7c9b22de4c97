/**
 * The CLI's commands as one cached ES module bundle, so `lockstep` starts in
 * a tenth of the time loading the TypeScript through tsx takes (tsx resolves
 * and transforms every module through loader hooks in a second thread: about
 * 0.7 s of a short check).
 *
 * The bundle lives in node_modules/.cache/lockstep-cli with a manifest of
 * every source file it was built from (size and mtime). It is reused while
 * they are unchanged and rebuilt (esbuild, ~0.2 s) when any changed, so an
 * edit in the checker is never run stale. Packages stay external (resolved
 * from node_modules as before); `import.meta.url` keeps meaning the source
 * file's own location.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'lockstep-cli');
const manifestPath = join(cacheDir, 'manifest.json');
const ENTRIES = { check: 'bin/commands/check.ts', export: 'bin/commands/export.ts', diff: 'bin/commands/diff.ts' };

/** The bundled module of `command` (check, export, diff), built when missing or stale. */
export async function bundledCommand(command) {
  const entry = ENTRIES[command];
  if (!entry) throw new Error(`no command ${command}`);
  if (!fresh()) await build();
  return import(pathToFileURL(join(cacheDir, `${command}.mjs`)).href);
}

function fresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.entries !== JSON.stringify(ENTRIES)) return false;
  for (const [file, size, mtime] of manifest.inputs) {
    try {
      const stat = statSync(join(root, file));
      if (stat.size !== size || stat.mtimeMs !== mtime) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function build() {
  const esbuild = await import('esbuild');
  // Each source keeps its own import.meta.url (check-workers.ts finds its worker script by it).
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => ({
        contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      }));
    },
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: cacheDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [ownUrl],
  });
  mkdirSync(cacheDir, { recursive: true });
  // Written beside and renamed: concurrent `lockstep` processes never read half a file.
  const put = (path, text) => {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
  };
  for (const file of result.outputFiles) put(file.path, file.text);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.includes('node_modules'))
    .map((file) => {
      const stat = statSync(join(root, file));
      return [file, stat.size, stat.mtimeMs];
    });
  put(manifestPath, JSON.stringify({ entries: JSON.stringify(ENTRIES), inputs }));
}
