/**
 * Edits are data: every change the editor makes to a document is one of these
 * actions, folded into the document by `applyEdit` (pure; the input is never
 * mutated). Undo/redo, autosave and tests all work on this one union.
 */
import type { ModelDocument, Resource, StateKind } from '@/lib/model';
import { mapUncheckedSteps } from '@/lib/model/walk';
import { formatSegments, getIn, parsePath, updateIn, type Segment } from './path';
import { duplicateOperation, duplicateScenario } from './duplicate';
import { fixLockReferences, fixOperationReferences, fixResourceReferences, fixStateReferences } from './rename';

export type Position = { x: number; y: number };
/** A place in a list: the list's path (e.g. `operations[0].steps[1].then`) and an index in it. */
export type ListSlot = { list: string; index: number };

export type EditAction =
  /** Sets a value anywhere (forms); `undefined` removes the key. */
  | { type: 'set'; path: string; value: unknown }
  | { type: 'insert'; list: string; index: number; value: unknown }
  | { type: 'remove'; list: string; index: number }
  /** Moves an item between (or within) lists; `to.index` counts in the target list as it was before the move. */
  | { type: 'move'; from: ListSlot; to: ListSlot }
  | { type: 'replaceDocument'; doc: ModelDocument }
  | { type: 'addResource'; name: string }
  | { type: 'renameResource'; resource: number; to: string }
  | { type: 'deleteResource'; resource: number }
  /** `layout` records positions of the other states too (when the machine was laid out automatically, in view only). */
  | { type: 'addState'; resource: number; name: string; kind: StateKind; position?: Position; layout?: Record<string, Position> }
  | { type: 'renameState'; resource: number; from: string; to: string }
  | { type: 'setStateKind'; resource: number; state: string; kind: StateKind }
  | { type: 'setInitial'; resource: number; state: string }
  | { type: 'deleteState'; resource: number; state: string }
  | { type: 'addTransition'; resource: number; from: string; to: string; name?: string }
  | { type: 'deleteTransition'; resource: number; index: number }
  | { type: 'moveStates'; resource: number; positions: Record<string, Position> }
  /** Replaces the resource's whole layout (automatic layout). */
  | { type: 'setLayout'; resource: number; positions: Record<string, Position> }
  | { type: 'renameOperation'; operation: number; to: string }
  | { type: 'renameLock'; lock: number; to: string }
  /** Copies an operation or a scenario under a fresh name ("X_copy"), right after the original. */
  | { type: 'duplicateOperation'; operation: number }
  | { type: 'duplicateScenario'; scenario: number }
  /** Puts the steps `from`…`to` (inclusive) of a step list into one new atomic block, where they were. */
  | { type: 'wrapInAtomic'; list: string; from: number; to: number }
  /** Renames a model invariant, or (with `scenario`) a scenario's own one; `expect.name` follows. */
  | { type: 'renameInvariant'; scenario?: number; invariant: number; to: string }
  /** Places a scenario's process (or recovery process) on another node; `undefined` = no node. */
  | { type: 'placeProcess'; scenario: number; list: 'processes' | 'recovery'; index: number; node: string | undefined };

type Doc = ModelDocument;

const mapResource = (doc: Doc, r: number, f: (res: Resource) => Resource): Doc => ({
  ...doc,
  resources: doc.resources.map((res, i) => (i === r ? f(res) : res)),
});

function layoutOf(doc: Doc, name: string): Record<string, Position> | undefined {
  return doc.layout?.resources?.[name];
}

function withLayout(doc: Doc, name: string, positions: Record<string, Position> | undefined): Doc {
  const resources = { ...(doc.layout?.resources ?? {}) };
  if (positions) resources[name] = positions;
  else delete resources[name];
  return { ...doc, layout: { ...(doc.layout ?? {}), resources } };
}

/** Rewrites every step of every operation (nested ones included) with `f`. */
function mapEveryStep(doc: Doc, f: (step: Record<string, unknown>) => Record<string, unknown>): Doc {
  return { ...doc, operations: doc.operations.map((op) => ({ ...op, steps: mapUncheckedSteps(op.steps, f) as typeof op.steps })) };
}

/** Index adjustment when removing `from` shifts a later sibling that is an ancestor of the target list. */
function adjustTarget(from: Segment[], fromIndex: number, to: Segment[]): Segment[] {
  const n = from.length;
  if (to.length <= n || formatSegments(to.slice(0, n)) !== formatSegments(from)) return to;
  const idx = to[n];
  if (typeof idx === 'number' && idx > fromIndex) return [...to.slice(0, n), idx - 1, ...to.slice(n + 1)];
  return to;
}

/** Whether `inner` is `outer` itself or lies inside it (paths as strings). */
export function pathWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

export function applyEdit(doc: Doc, action: EditAction): Doc {
  switch (action.type) {
    case 'set':
      return getIn(doc, action.path) === action.value ? doc : updateIn(doc, action.path, () => action.value);
    case 'insert':
      return updateIn(doc, action.list, (old) => {
        const list = Array.isArray(old) ? [...old] : [];
        list.splice(Math.max(0, Math.min(action.index, list.length)), 0, action.value);
        return list;
      });
    case 'remove':
      return updateIn(doc, action.list, (old) => (Array.isArray(old) ? old.filter((_, i) => i !== action.index) : old));
    case 'move': {
      const { from, to } = action;
      const item = (getIn(doc, from.list) as unknown[] | undefined)?.[from.index];
      if (item === undefined) return doc;
      const itemPath = `${from.list}[${from.index}]`;
      if (pathWithin(to.list, itemPath)) return doc; // into itself
      let target = to.index;
      if (from.list === to.list) {
        if (target > from.index) target -= 1;
        if (target === from.index) return doc;
      }
      const removed = applyEdit(doc, { type: 'remove', list: from.list, index: from.index });
      const toList = formatSegments(adjustTarget(parsePath(from.list), from.index, parsePath(to.list)));
      return applyEdit(removed, { type: 'insert', list: toList, index: target, value: item });
    }
    case 'replaceDocument':
      return action.doc;
    case 'addResource':
      return {
        ...doc,
        resources: [...doc.resources, { name: action.name, states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] }],
      };
    case 'renameResource': {
      const old = doc.resources[action.resource]?.name;
      if (old === undefined || old === action.to) return doc;
      const to = action.to;
      let next = mapResource(doc, action.resource, (r) => ({ ...r, name: to }));
      next = {
        ...next,
        resources: next.resources.map((r) => ({
          ...r,
          ...(r.fields ? { fields: r.fields.map((f) => (f.type.kind === 'ref' && f.type.resource === old ? { ...f, type: { kind: 'ref' as const, resource: to } } : f)) } : {}),
        })),
        locks: next.locks.map((l) => (l.key === old ? { ...l, key: to } : l)),
        operations: next.operations.map((op) => ({ ...op, params: op.params.map((p) => (p.type === old ? { ...p, type: to } : p)) })),
        scenarios: next.scenarios.map((s) => ({ ...s, instances: s.instances.map((i) => (i.type === old ? { ...i, type: to } : i)) })),
      };
      const positions = layoutOf(doc, old);
      return fixResourceReferences(positions ? withLayout(withLayout(next, old, undefined), to, positions) : next, old, to);
    }
    case 'deleteResource': {
      const old = doc.resources[action.resource]?.name;
      if (old === undefined) return doc;
      const next = { ...doc, resources: doc.resources.filter((_, i) => i !== action.resource) };
      return layoutOf(doc, old) ? withLayout(next, old, undefined) : next;
    }
    case 'addState': {
      const res = doc.resources[action.resource];
      if (!res) return doc;
      const next = mapResource(doc, action.resource, (r) => ({ ...r, states: [...r.states, { name: action.name, kind: action.kind }] }));
      return action.position ? withLayout(next, res.name, { ...(action.layout ?? {}), ...(layoutOf(doc, res.name) ?? {}), [action.name]: action.position }) : next;
    }
    case 'renameState': {
      const res = doc.resources[action.resource];
      const { from, to } = action;
      if (!res || from === to) return doc;
      const swap = (s: string) => (s === from ? to : s);
      let next = mapResource(doc, action.resource, (r) => ({
        ...r,
        states: r.states.map((s) => (s.name === from ? { ...s, name: to } : s)),
        initial: swap(r.initial),
        transitions: r.transitions.map((t) => ({ ...t, from: swap(t.from), to: swap(t.to) })),
      }));
      next = {
        ...next,
        scenarios: next.scenarios.map((s) => ({
          ...s,
          instances: s.instances.map((i) => (i.type === res.name && i.state === from ? { ...i, state: to } : i)),
        })),
      };
      const positions = layoutOf(doc, res.name);
      if (positions && positions[from]) {
        const { [from]: pos, ...rest } = positions;
        next = withLayout(next, res.name, { ...rest, [to]: pos });
      }
      // Expressions and cas values that named the old state follow (found by the type checker).
      return fixStateReferences(next, res.name, from, to);
    }
    case 'setStateKind':
      if (doc.resources[action.resource]?.states.find((s) => s.name === action.state)?.kind === action.kind) return doc;
      return mapResource(doc, action.resource, (r) => ({
        ...r,
        states: r.states.map((s) => (s.name === action.state ? { ...s, kind: action.kind } : s)),
      }));
    case 'setInitial':
      if (doc.resources[action.resource]?.initial === action.state) return doc;
      return mapResource(doc, action.resource, (r) => ({ ...r, initial: action.state }));
    case 'deleteState': {
      const res = doc.resources[action.resource];
      if (!res) return doc;
      const next = mapResource(doc, action.resource, (r) => ({
        ...r,
        states: r.states.filter((s) => s.name !== action.state),
        transitions: r.transitions.filter((t) => t.from !== action.state && t.to !== action.state),
      }));
      const positions = layoutOf(doc, res.name);
      if (!positions || !(action.state in positions)) return next;
      const { [action.state]: _gone, ...rest } = positions;
      return withLayout(next, res.name, rest);
    }
    case 'addTransition': {
      const res = doc.resources[action.resource];
      if (!res || res.transitions.some((t) => t.from === action.from && t.to === action.to)) return doc;
      const t = action.name ? { from: action.from, to: action.to, name: action.name } : { from: action.from, to: action.to };
      return mapResource(doc, action.resource, (r) => ({ ...r, transitions: [...r.transitions, t] }));
    }
    case 'deleteTransition':
      return mapResource(doc, action.resource, (r) => ({ ...r, transitions: r.transitions.filter((_, i) => i !== action.index) }));
    case 'moveStates': {
      const res = doc.resources[action.resource];
      if (!res) return doc;
      const known = layoutOf(doc, res.name);
      if (known && Object.entries(action.positions).every(([k, p]) => known[k]?.x === p.x && known[k]?.y === p.y)) return doc;
      return withLayout(doc, res.name, { ...(layoutOf(doc, res.name) ?? {}), ...action.positions });
    }
    case 'setLayout': {
      const res = doc.resources[action.resource];
      return res ? withLayout(doc, res.name, action.positions) : doc;
    }
    case 'renameOperation': {
      const old = doc.operations[action.operation]?.name;
      if (old === undefined || old === action.to) return doc;
      const rename = <P extends { operation: string }>(p: P): P => (p.operation === old ? { ...p, operation: action.to } : p);
      const next = {
        ...doc,
        operations: doc.operations.map((op, i) => (i === action.operation ? { ...op, name: action.to } : op)),
        scenarios: doc.scenarios.map((s) => ({
          ...s,
          processes: s.processes.map(rename),
          ...(s.recovery ? { recovery: s.recovery.map(rename) } : {}),
        })),
      };
      return fixOperationReferences(next, old, action.to);
    }
    case 'renameLock': {
      const old = doc.locks[action.lock]?.name;
      if (old === undefined || old === action.to) return doc;
      const next = mapEveryStep(
        { ...doc, locks: doc.locks.map((l, i) => (i === action.lock ? { ...l, name: action.to } : l)) },
        (step) => {
          let s = step;
          if (s.lock === old) s = { ...s, lock: action.to };
          const fenced = s.fencedBy as { lock: string } | undefined;
          if (fenced?.lock === old) s = { ...s, fencedBy: { ...fenced, lock: action.to } };
          return s;
        },
      );
      return fixLockReferences(
        {
          ...next,
          scenarios: next.scenarios.map((s) => {
            if (!s.locks || !(old in s.locks)) return s;
            const { [old]: policy, ...rest } = s.locks;
            return { ...s, locks: { ...rest, [action.to]: policy } };
          }),
        },
        old,
        action.to,
      );
    }
    case 'duplicateOperation':
      return duplicateOperation(doc, action.operation);
    case 'duplicateScenario':
      return duplicateScenario(doc, action.scenario);
    case 'wrapInAtomic': {
      const steps = getIn(doc, action.list);
      const from = Math.max(0, Math.min(action.from, action.to));
      const to = Math.max(action.from, action.to);
      if (!Array.isArray(steps) || to >= steps.length) return doc;
      const block = { kind: 'atomic', steps: steps.slice(from, to + 1) };
      return updateIn(doc, action.list, () => [...steps.slice(0, from), block, ...steps.slice(to + 1)]);
    }
    case 'renameInvariant':
      return renameInvariant(doc, action.scenario, action.invariant, action.to);
    case 'placeProcess':
      return updateIn(doc, `scenarios[${action.scenario}].${action.list}[${action.index}]`, (old) => {
        if (!old || typeof old !== 'object') return old;
        const { node: _node, osProcess: _os, ...rest } = old as Record<string, unknown>;
        return action.node === undefined ? rest : { ...rest, node: action.node };
      });
  }
}

/**
 * A scenario's `expect.name` names the invariant it expects to break: it follows a rename.
 * A model invariant's rename skips scenarios whose own invariant of that name shadows it.
 */
function renameInvariant(doc: Doc, scenario: number | undefined, index: number, to: string): Doc {
  const list = scenario === undefined ? doc.invariants : doc.scenarios[scenario]?.invariants;
  const old = list?.[index]?.name;
  if (old === undefined || old === to) return doc;
  const renamed = (invs: Doc['invariants']) => invs.map((inv, i) => (i === index ? { ...inv, name: to } : inv));
  const follows = (s: Doc['scenarios'][number], si: number) =>
    s.expect?.verdict === 'violation' && s.expect.kind === 'invariant' && s.expect.name === old &&
    (scenario === undefined ? !(s.invariants ?? []).some((inv) => inv.name === old) : si === scenario);
  return {
    ...doc,
    invariants: scenario === undefined ? renamed(doc.invariants) : doc.invariants,
    scenarios: doc.scenarios.map((s, si) => {
      let next = si === scenario ? { ...s, invariants: renamed(s.invariants ?? []) } : s;
      if (follows(s, si)) next = { ...next, expect: { ...next.expect!, name: to } as typeof s.expect };
      return next;
    }),
  };
}

/** A short description of an action, for the undo/redo tooltips. */
export function describeEdit(action: EditAction): string {
  switch (action.type) {
    case 'set':
      return `edit ${action.path}`;
    case 'insert':
      return `add to ${action.list}`;
    case 'remove':
      return `remove from ${action.list}`;
    case 'move':
      return 'move';
    case 'replaceDocument':
      return 'JSON edit';
    case 'wrapInAtomic':
      return 'wrap in atomic';
    default:
      return action.type.replace(/([A-Z])/g, ' $1').toLowerCase();
  }
}
