/** Example models and runs as the browser would post them, for the job tests. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { analyzeModel } from '@/lib/model';
import { checkScenario, simulateScenario } from '@/lib/check';
import type { CheckRunInput } from '@/lib/db/runs';

export const EXAMPLES_DIR = path.join(process.cwd(), 'examples');

export function example(file: string) {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

export const exampleFiles = () => readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

/** What POST …/runs stores for a run the browser computed (see lib/server/runs-api.ts). */
export function genuineRun(
  document: unknown,
  scenario: string,
  opts: { mode?: 'exhaustive' | 'random'; maxStates?: number; maxDepth?: number; runs?: number; seed?: number } = {},
): Omit<CheckRunInput, 'modelId' | 'versionNumber'> {
  const analyzed = analyzeModel(document);
  if (!analyzed.ok) throw new Error('invalid example');
  const mode = opts.mode ?? 'exhaustive';
  const limits = { ...(opts.maxStates ? { maxStates: opts.maxStates } : {}), ...(opts.maxDepth ? { maxDepth: opts.maxDepth } : {}) };
  const r =
    mode === 'random'
      ? simulateScenario(analyzed.value, scenario, { runs: opts.runs ?? 200, seed: opts.seed ?? 1, maxDepth: opts.maxDepth ?? 1000 })
      : checkScenario(analyzed.value, scenario, limits);
  return {
    scenario,
    options: { mode, symmetry: true, mergeLocalSteps: true, ...limits, ...(mode === 'random' ? { runs: opts.runs ?? 200, seed: opts.seed ?? 1 } : {}) },
    verdict: r.verdict,
    stats: { distinctStates: r.stats.distinctStates, transitions: r.stats.transitions, depth: r.stats.depth, ...(r.incompleteReason ? { incompleteReason: r.incompleteReason } : {}) },
    ...(r.verdict === 'violation' ? { trace: { moves: r.trace!.steps.map((s) => s.move), violation: r.violation } } : {}),
  };
}
