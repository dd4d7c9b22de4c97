/** Types of bench/worst-run.mjs, for the tests that post its attack. */
export function attackDocument(processes: number, calls: number): Record<string, any> & { name: string };
export function attackMoves(processes: number, calls: number): number[];
export function attackRun(processes: number, calls: number): {
  scenario: string;
  mode: 'exhaustive';
  options: { symmetry: boolean; mergeLocalSteps: boolean };
  verdict: 'violation';
  violation: { kind: 'invariant'; name: string; message: string };
  stats: { distinctStates: number; transitions: number; depth: number; queue: number; elapsedMs: number; statesPerSecond: number };
  moves: number[];
};
