/**
 * lib/check: the interleaving explorer. Pure TypeScript — no DOM, Node or
 * React — so the browser's Web Worker, the server and the CLI run this code.
 */
export { checkScenario, checkModel, simulateScenario, meetsExpectation, type CheckScenarioOptions } from './check';
export { simulate, randomGenerator, type SimulateOptions, type SimulateOutcome } from './simulate';
export { compileSystem, CompileError, type System, type CheckOptions } from './system';
export { explore, type ExploreOptions, type Progress } from './explore';
export { StepApi, type MoveOption } from './step-api';
export { rebuildTrace } from './trace';
export type * from './result';
export { toViolation, INCOMPLETE_REASONS, DEFAULT_MAX_STATES } from './result';
export { lintModel, type Lint } from './lints';
