/** The generated files as one zip (pure: fflate runs in the browser and in Node). */
import { strToU8, zipSync } from 'fflate';
import type { GeneratedFile } from './context';

/** A fixed timestamp: the same files always give the same zip bytes. */
const MTIME = new Date(2000, 0, 1, 0, 0, 0);

/** Zips the files under `folder/` (deterministic bytes for the same input). */
export function zipFiles(files: readonly GeneratedFile[], folder: string): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const f of files) entries[`${folder}/${f.path}`] = [strToU8(f.content), { mtime: MTIME }];
  return zipSync(entries, { level: 6 });
}

/** A file-name-safe slug of a model name. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';
}
