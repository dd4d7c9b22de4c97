// The piscina worker. Plain ESM so Node loads it as is, from the checkout, in
// `next start`, vitest and scripts alike; it compiles the TypeScript checker
// (lib/check, through tasks.ts) with tsx's scoped loader once per thread.
import { tsImport } from 'tsx/esm/api';

const { runTask } = await tsImport('./tasks.ts', import.meta.url);

export default function run(task) {
  return runTask(task);
}
