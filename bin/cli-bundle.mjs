/**
 * The CLI's commands as one cached ES module bundle, so `lockstep` starts in
 * a tenth of the time loading the TypeScript through tsx takes (tsx resolves
 * and transforms every module through loader hooks in a second thread: about
 * 0.7 s of a short check).
 *
 * The bundle lives in node_modules/.cache/lockstep-cli with a manifest of
 * every source file it was built from (size and mtime). It is reused while
 * they are unchanged and rebuilt (esbuild, ~0.2 s) when any changed, so an
 * edit in the checker is never run stale. Packages are bundled too, except
 * esbuild; `import.meta.url` keeps meaning the source file's own location.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'lockstep-cli');
const manifestPath = join(cacheDir, 'manifest.json');
const ENTRIES = {
  check: 'bin/commands/check.ts',
  export: 'bin/commands/export.ts',
  diff: 'bin/commands/diff.ts',
  // The worker threads of `check --workers K` start from the same bundle (check-workers.ts looks for it).
  'check-worker': 'bin/commands/check-worker.ts',
};

/** The bundled module of `command` (check, export, diff), built when missing or stale. */
export async function bundledCommand(command) {
  const entry = ENTRIES[command];
  if (!entry) throw new Error(`no command ${command}`);
  if (!fresh()) await build();
  globalThis.lockstepWorkerScript = pathToFileURL(join(cacheDir, 'check-worker.mjs'));
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
    // Bundled too (zod loads far faster as one file than as its hundred modules); esbuild finds its binary from its own location.
    external: ['esbuild'],
    // Less to parse at every start; names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
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
  // Chunks of earlier builds are named by their content hash: remove those this build no longer uses.
  const current = new Set(result.outputFiles.map((file) => basename(file.path)));
  for (const name of readdirSync(cacheDir)) if (name.startsWith('chunk-') && !current.has(name)) rmSync(join(cacheDir, name), { force: true });
  // The sources, and this file (how they are bundled).
  const inputs = [...Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules')), 'bin/cli-bundle.mjs']
    .map((file) => {
      const stat = statSync(join(root, file));
      return [file, stat.size, stat.mtimeMs];
    });
  put(manifestPath, JSON.stringify({ entries: JSON.stringify(ENTRIES), inputs }));
}
