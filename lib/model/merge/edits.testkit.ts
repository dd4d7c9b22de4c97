/**
 * A small edit language over model documents, for the merge's property test:
 * each edit is plain data (picks are taken modulo the list they index, so
 * any generated edit applies to any document), and applying edits records
 * renames so the test's oracle can follow an item across a rename.
 * Edits need not keep the document valid: the merge is structural.
 */
import fc from 'fast-check';
import type { ModelDocument, Step } from '../schema';
import { childBlocks, forEachStep, unreachable } from '../walk';

export type Edit =
  | { kind: 'rename'; list: NamedList; pick: number }
  | { kind: 'renameState'; pick: number; state: number }
  | { kind: 'describe'; list: NamedList; pick: number; text: string }
  | { kind: 'remove'; list: NamedList; pick: number }
  | { kind: 'addInvariant'; expr: string }
  | { kind: 'addScenario'; pick: number }
  | { kind: 'addState'; pick: number; stateKind: 'stable' | 'error' }
  | { kind: 'expr'; op: number; step: number; text: string }
  | { kind: 'addStep'; op: number; list: number; at: number; cond: string }
  | { kind: 'removeStep'; op: number; step: number }
  | { kind: 'moveStep'; op: number; list: number; from: number; to: number }
  | { kind: 'fault'; pick: number; crash: number }
  | { kind: 'arg'; pick: number; process: number; value: string }
  | { kind: 'transitionName'; pick: number; transition: number; name: string }
  | { kind: 'addTransition'; pick: number; from: number }
  | { kind: 'lockBackend'; pick: number; backend: 'etcd' | 'redis' | 'file' };

export type NamedList = 'operations' | 'invariants' | 'scenarios' | 'locks';

/** Small value pools, so that two sides sometimes make the identical change and sometimes clash. */
const texts = ['alpha', 'beta', 'gamma'];
const exprs = ['true', 'false', 'x == 1', 'share.state == "deleting"'];
const pick = fc.nat(40);
const namedList = fc.constantFrom<NamedList>('operations', 'invariants', 'scenarios', 'locks');

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), list: namedList, pick }),
  fc.record({ kind: fc.constant('renameState' as const), pick, state: pick }),
  fc.record({ kind: fc.constant('describe' as const), list: namedList, pick, text: fc.constantFrom(...texts) }),
  fc.record({ kind: fc.constant('remove' as const), list: namedList, pick }),
  fc.record({ kind: fc.constant('addInvariant' as const), expr: fc.constantFrom(...exprs) }),
  fc.record({ kind: fc.constant('addScenario' as const), pick }),
  fc.record({ kind: fc.constant('addState' as const), pick, stateKind: fc.constantFrom('stable' as const, 'error' as const) }),
  fc.record({ kind: fc.constant('expr' as const), op: pick, step: pick, text: fc.constantFrom(...exprs) }),
  fc.record({ kind: fc.constant('addStep' as const), op: pick, list: pick, at: pick, cond: fc.constantFrom(...exprs) }),
  fc.record({ kind: fc.constant('removeStep' as const), op: pick, step: pick }),
  fc.record({ kind: fc.constant('moveStep' as const), op: pick, list: pick, from: pick, to: pick }),
  fc.record({ kind: fc.constant('fault' as const), pick, crash: fc.nat(2) }),
  fc.record({ kind: fc.constant('arg' as const), pick, process: pick, value: fc.constantFrom('share1', 'share2') }),
  fc.record({ kind: fc.constant('transitionName' as const), pick, transition: pick, name: fc.constantFrom(...texts) }),
  fc.record({ kind: fc.constant('addTransition' as const), pick, from: pick }),
  fc.record({ kind: fc.constant('lockBackend' as const), pick, backend: fc.constantFrom('etcd' as const, 'redis' as const, 'file' as const) }),
);

/** Where renamed items came from: `list\0current name` → the name the oracle knows the item by. */
export type Renames = Map<string, string>;

const at = <T>(list: readonly T[] | undefined, n: number): T | undefined => (list && list.length ? list[n % list.length] : undefined);

/** Every step list of an operation (its own, then nested ones in document order). */
function stepLists(steps: Step[]): Step[][] {
  const lists: Step[][] = [steps];
  forEachStep(steps, (step) => {
    for (const [, block] of childBlocks(step)) lists.push(block);
  });
  return lists;
}

/** Every step with its containing list. */
function allSteps(steps: Step[]): Array<{ step: Step; list: Step[] }> {
  return stepLists(steps).flatMap((list) => list.map((step) => ({ step, list })));
}

/**
 * Applies edits in order to a copy of `base`. `side` prefixes every fresh
 * name and label, so the two sides never invent the same name by accident.
 */
export function applyEdits(base: ModelDocument, edits: readonly Edit[], side: 'h' | 'd'): { doc: ModelDocument; renames: Renames } {
  const doc = structuredClone(base);
  const renames: Renames = new Map();
  let fresh = 0;
  const freshName = () => `${side}${fresh++}`;
  const rename = (list: string, from: string, to: string) => {
    renames.set(`${list}\u0000${to}`, renames.get(`${list}\u0000${from}`) ?? from);
    renames.delete(`${list}\u0000${from}`);
  };
  const identity = (list: string, name: string) => renames.get(`${list}\u0000${name}`) ?? name;

  for (const edit of edits) {
    switch (edit.kind) {
      case 'rename': {
        const item = at<{ name: string }>(doc[edit.list], edit.pick);
        if (!item) break;
        const to = freshName();
        rename(edit.list, item.name, to);
        item.name = to;
        break;
      }
      case 'renameState': {
        const resource = at(doc.resources, edit.pick);
        const state = at(resource?.states, edit.state);
        if (!resource || !state) break;
        const to = freshName();
        rename(`resources/${identity('resources', resource.name)}/states`, state.name, to);
        state.name = to;
        break;
      }
      case 'describe': {
        const item = at<{ description?: string }>(doc[edit.list], edit.pick);
        if (item) item.description = edit.text;
        break;
      }
      case 'remove': {
        const list = doc[edit.list] as unknown[];
        if (list.length) list.splice(edit.pick % list.length, 1);
        break;
      }
      case 'addInvariant':
        doc.invariants.push({ name: freshName(), expr: edit.expr, description: 'added' });
        break;
      case 'addScenario': {
        const template = at(doc.scenarios, edit.pick);
        // A new scenario, not a look-alike: a near copy in place of a removed one is read as a rename (by design).
        if (template)
          doc.scenarios.push({
            name: freshName(),
            description: 'added',
            instances: [{ name: 'fresh', type: template.instances[0].type }],
            processes: [{ operation: template.processes[0].operation, args: {}, count: 3 }],
            expect: { verdict: 'violation', kind: 'deadlock' },
          });
        break;
      }
      case 'addState': {
        const resource = at(doc.resources, edit.pick);
        resource?.states.push({ name: freshName(), kind: edit.stateKind, description: 'added' });
        break;
      }
      case 'expr': {
        const op = at(doc.operations, edit.op);
        const target = at(
          allSteps(op?.steps ?? []).filter(({ step }) => 'cond' in step || 'expr' in step || 'value' in step),
          edit.step,
        );
        if (!target) break;
        const step = target.step as Record<string, unknown>;
        const key = 'cond' in step ? 'cond' : 'expr' in step ? 'expr' : 'value';
        step[key] = edit.text;
        break;
      }
      case 'addStep': {
        const op = at(doc.operations, edit.op);
        const list = at(stepLists(op?.steps ?? []), edit.list);
        if (list) list.splice(edit.at % (list.length + 1), 0, { kind: 'require', cond: edit.cond, label: freshName() });
        break;
      }
      case 'removeStep': {
        const op = at(doc.operations, edit.op);
        const target = at(allSteps(op?.steps ?? []), edit.step);
        if (target) target.list.splice(target.list.indexOf(target.step), 1);
        break;
      }
      case 'moveStep': {
        const op = at(doc.operations, edit.op);
        const list = at(stepLists(op?.steps ?? []), edit.list);
        if (!list || list.length < 2) break;
        const [moved] = list.splice(edit.from % list.length, 1);
        list.splice(edit.to % (list.length + 1), 0, moved);
        break;
      }
      case 'fault': {
        const scenario = at(doc.scenarios, edit.pick);
        if (scenario) scenario.faults = { ...scenario.faults, crash: edit.crash };
        break;
      }
      case 'arg': {
        const proc = at(at(doc.scenarios, edit.pick)?.processes, edit.process);
        const key = proc && Object.keys(proc.args)[0];
        if (proc && key) proc.args[key] = edit.value;
        break;
      }
      case 'transitionName': {
        const transition = at(at(doc.resources, edit.pick)?.transitions, edit.transition);
        if (transition) transition.name = edit.name;
        break;
      }
      case 'addTransition': {
        const resource = at(doc.resources, edit.pick);
        const from = at(resource?.states, edit.from);
        if (resource && from) resource.transitions.push({ from: from.name, to: freshName() });
        break;
      }
      case 'lockBackend': {
        const lock = at(doc.locks, edit.pick);
        if (lock) lock.backend = edit.backend;
        break;
      }
      default:
        unreachable(edit, 'edit');
    }
  }
  return { doc, renames };
}

/** Gives every step a unique label: the oracle's handle on a step wherever it moves (the merge itself matches steps by position and content). */
export function labelSteps(doc: ModelDocument): ModelDocument {
  const copy = structuredClone(doc);
  let n = 0;
  for (const op of copy.operations) forEachStep(op.steps, (step) => (step.label = `s${n++}`));
  return copy;
}
