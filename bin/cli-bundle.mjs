/**
 * The CLI's commands as one cached ES module bundle, so `lockstep` starts in
 * a tenth of the time loading the TypeScript through tsx takes (tsx resolves
 * and transforms every module through loader hooks in a second thread: about
 * 0.7 s of a short check).
 *
 * Each command is one CommonJS file run through V8's code cache, so a start
 * also skips compiling what the last run compiled (about 35 ms of loading).
 *
 * The bundle lives in node_modules/.cache/lockstep-cli with a manifest of
 * every source file it was built from (size and mtime). It is reused while
 * they are unchanged and rebuilt (esbuild, ~0.2 s) when any changed, so an
 * edit in the checker is never run stale. Packages are bundled too, except
 * esbuild; `import.meta.url` keeps meaning the source file's own location.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { constants, Script } from 'node:vm';

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
  globalThis.lockstepWorkerScript = pathToFileURL(join(cacheDir, 'check-worker.cjs'));
  return loadWithCodeCache(join(cacheDir, `${command}.cjs`));
}

/**
 * Runs a CommonJS bundle through V8 with its code cache: the functions an
 * earlier run compiled (parsed and turned into bytecode) are read back
 * instead of compiled again. The cache is written when the process exits, so
 * it holds what the command actually ran; V8 rejects a cache whose source
 * changed, and it is then written anew.
 */
function loadWithCodeCache(file) {
  const cachePath = `${file}.v8-cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        put(cachePath, script.createCachedData());
      } catch {
        // A cache that cannot be written only costs the next start its compile time.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Writes beside and renames: concurrent `lockstep` processes never read half a file. */
function put(path, data) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
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
  // Each source keeps its own import.meta.url (check-workers.ts finds its worker script by it when it runs unbundled).
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
    outExtension: { '.js': '.cjs' },
    bundle: true,
    // CommonJS, one file per command: V8's code cache (loadWithCodeCache) works on scripts.
    format: 'cjs',
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
  for (const file of result.outputFiles) put(file.path, file.text);
  // The sources, and this file (how they are bundled).
  const inputs = [...Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules')), 'bin/cli-bundle.mjs']
    .map((file) => {
      const stat = statSync(join(root, file));
      return [file, stat.size, stat.mtimeMs];
    });
  put(manifestPath, JSON.stringify({ entries: JSON.stringify(ENTRIES), inputs }));
}
