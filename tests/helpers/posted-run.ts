/** The body the browser posts to POST /api/models/:id/versions/:n/runs after checking a scenario itself. */
import { analyzeModel } from '@/lib/model';
import { checkScenario } from '@/lib/check';

export function postedRun(document: unknown, scenario: string) {
  const analyzed = analyzeModel(document);
  if (!analyzed.ok) throw new Error('invalid model');
  const r = checkScenario(analyzed.value, scenario);
  return {
    scenario,
    mode: 'exhaustive' as const,
    options: { symmetry: true, mergeLocalSteps: true },
    verdict: r.verdict,
    violation: r.violation,
    stats: { distinctStates: r.stats.distinctStates, transitions: r.stats.transitions, depth: r.stats.depth, queue: r.stats.queue, elapsedMs: r.stats.elapsedMs, statesPerSecond: r.stats.statesPerSecond },
    moves: r.trace?.steps.map((s) => s.move) ?? [],
  };
}
