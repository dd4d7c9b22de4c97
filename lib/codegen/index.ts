/**
 * lib/codegen: TypeScript generated from a model — states, test-and-set guards,
 * scope-typed locks, XState machines and a Mermaid diagram, plus the runtime
 * they import (`lockstep-runtime/`, only the parts the model uses). Pure: no
 * DOM, no Node; the browser's Export panel, the server and the CLI run this code.
 *
 * @example
 *   const analyzed = analyzeModel(json);
 *   if (analyzed.ok) for (const f of generate(analyzed.value, { version: 3 })) write(f.path, f.content);
 */
import type { AnalyzedModel } from '../model/analyzed';
import { CodegenError, makeContext, type CodegenIssue, type GeneratedFile, type GenerateMeta } from './context';
import { diagramFile } from './diagram';
import { collectGuards, guardsFence, guardsUpdate } from './guard-info';
import { guardsFile, guardsFileNames } from './guards';
import { locksFile } from './locks';
import { machinesFile } from './machines';
import { RUNTIME_PATHS, runtimeFiles, runtimeNeeds } from './runtime-files';
import { statesFile } from './states';

export { CodegenError, type CodegenIssue, type GeneratedFile, type GenerateMeta } from './context';
export { fnv1a64, canonicalJson } from './hash';
export { RUNTIME_DIR } from './runtime-files';

/** The model's own files, in a fixed order; every export has them. */
export const MODEL_PATHS = ['states.ts', 'guards.ts', 'locks.ts', 'machines.ts', 'diagram.md'] as const;

/** Every path an export can hold: the model's files, then the runtime files (a model gets those it uses). */
export const GENERATED_PATHS: readonly string[] = [...MODEL_PATHS, ...RUNTIME_PATHS];

/**
 * Every other name is escaped for each place it lands (see escape/); a state
 * named `__proto__` alone cannot be: XState builds its state table with plain
 * assignment, so that state silently vanishes from the machine.
 */
function checkNames(model: AnalyzedModel): void {
  const issues: CodegenIssue[] = [];
  model.document.resources.forEach((r, i) => {
    r.states.forEach((s, j) => {
      if (s.name === '__proto__') issues.push({ path: `resources[${i}].states[${j}].name`, message: `'__proto__' cannot be a state name in generated code: XState drops a state of that name from the machine; rename the state` });
    });
  });
  if (issues.length) throw new CodegenError(issues);
}

/**
 * Generates every file for a validated model: the model's files, then the
 * runtime they import. Deterministic: the same model and version give the same
 * bytes. Throws CodegenError (with document paths) when a step cannot be
 * translated faithfully.
 */
export function generate(model: AnalyzedModel, meta: GenerateMeta): GeneratedFile[] {
  checkNames(model);
  const ctx = makeContext(model, meta);
  const guards = collectGuards(ctx, guardsFileNames(ctx));
  const needs = runtimeNeeds(ctx, { guards: guards.length > 0, fencing: guardsFence(guards), update: guardsUpdate(guards) });
  return [
    { path: 'states.ts', content: statesFile(ctx) },
    { path: 'guards.ts', content: guardsFile(ctx, guards) },
    { path: 'locks.ts', content: locksFile(ctx, needs) },
    { path: 'machines.ts', content: machinesFile(ctx) },
    { path: 'diagram.md', content: diagramFile(ctx) },
    ...runtimeFiles(ctx, needs),
  ];
}
