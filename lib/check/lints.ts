/**
 * Static lints (docs/design.md section 2): problems visible in the model itself,
 * without a search. What each one finds is in LINT_CODES.
 *
 * The path analysis is a may-analysis over the structured steps (a `repeat`
 * is walked until what may be held at its start stops growing): a lock counts
 * as held at a point when it is held on some path there.
 * Lock instances are told apart by the text of their `on` expression.
 */
import { forEachAnalyzedStep, type AnalyzedModel, type AnalyzedOperation, type AnalyzedStep, type LockUse } from '../model/analyzed';
import { unreachable } from '../model/walk';
import type { Typed } from '../model/expr/types';
import { lintUpdates, setState, setsComputedState } from './lints-update';
import { lintAfterEndlessLoops } from './lints-repeat';

export type LintCode =
  | 'lock-held-across-long-call'
  | 'unreachable-write'
  | 'unreachable-state'
  | 'unused-state'
  | 'lock-not-released'
  | 'update-never-matches'
  | 'update-illegal-transition'
  | 'after-endless-loop';

/** What each lint finds, in one line. */
export const LINT_CODES: Record<LintCode, string> = {
  'lock-held-across-long-call': 'a `long` call runs while a lock may be held (inside `with`, or after an `acquire` not yet released on some path)',
  'unreachable-write': "a `cas`/`write`/`update` of a literal state that the resource's machine cannot reach from its initial state",
  'unreachable-state': 'a state no transition path leads to from the initial state',
  'unused-state': 'a reachable state nothing ever enters (no operation writes it, no scenario starts an instance in it, it is not the initial one)',
  'update-never-matches':
    "an `update` whose conditions can never all hold: a where condition no value of its field meets, a state no instance can ever be in, or a filter that is always false",
  'update-illegal-transition': "an `update` that sets a literal state which is not a transition from some state its where condition accepts",
  'lock-not-released':
    'an `acquire` whose lock is still held when the operation ends on some path (finishing, `return`, or an abort); `with` always releases',
  'after-endless-loop': 'a step right after a `repeat` without `until`: the loop never ends, so the step never runs',
};

export interface Lint {
  code: LintCode;
  severity: 'warning' | 'error';
  /** Path into the document, e.g. `operations[1].steps[2]`. */
  path: string;
  message: string;
}

export function lintModel(model: AnalyzedModel): Lint[] {
  const lints: Lint[] = [];
  const reachable = new Map<string, Set<string>>();
  for (const resource of model.catalog.resources.values()) reachable.set(resource.name, reachableStates(resource.states[resource.initial], resource.edges));

  for (const op of model.operations.values()) lintOperationLocks(op, lints);
  for (const op of model.operations.values()) lintWrites(model, op, reachable, lints);
  for (const op of model.operations.values()) lintUpdates(model, op, reachable, lints);
  for (const op of model.operations.values()) lintAfterEndlessLoops(op, lints);
  lintStates(model, reachable, lints);
  return lints;
}

// ---- states -----------------------------------------------------------------

function reachableStates(initial: string, edges: Set<string>): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split('->');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const seen = new Set([initial]);
  const queue = [initial];
  while (queue.length > 0) {
    for (const to of next.get(queue.shift()!) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

/** The state a write or cas puts into `X.state`: a literal's name, or null when it is computed (a local, a reference). */
function writtenState(step: AnalyzedStep, states: readonly string[]): string | null {
  if (step.kind === 'cas') return states[step.to] ?? null;
  if (step.kind === 'write' && step.value.kind === 'const') return states[step.value.value] ?? null;
  return null;
}

function stateWrites(step: AnalyzedStep): step is AnalyzedStep & { kind: 'write' | 'cas' } {
  return (step.kind === 'write' || step.kind === 'cas') && step.target.field === 'state';
}

function lintWrites(model: AnalyzedModel, op: AnalyzedOperation, reachable: Map<string, Set<string>>, lints: Lint[]): void {
  forEachAnalyzedStep(op.steps, (step) => {
    if (!stateWrites(step)) return;
    const resource = model.catalog.resources.get(step.target.resource)!;
    const state = writtenState(step, resource.states);
    if (state === null || reachable.get(resource.name)!.has(state)) return;
    lints.push({
      code: 'unreachable-write',
      severity: 'error',
      path: step.path,
      message:
        `${op.name} › ${where(step)}: ${step.kind} to ${resource.name} state '${state}', which ${resource.name}'s state machine ` +
        `cannot reach from its initial state '${resource.states[resource.initial]}' (every such ${step.kind} is an illegal transition)`,
    });
  });
}

function lintStates(model: AnalyzedModel, reachable: Map<string, Set<string>>, lints: Lint[]): void {
  // What enters each state: writes of literals, scenario instances, the initial state.
  const entered = new Map<string, Set<string>>();
  const anyState = new Set<string>(); // resources whose state some operation writes from a computed value
  for (const resource of model.catalog.resources.values()) entered.set(resource.name, new Set([resource.states[resource.initial]]));
  for (const op of model.operations.values()) {
    forEachAnalyzedStep(op.steps, (step) => {
      if (step.kind === 'update') {
        const to = setState(step);
        if (to !== null) entered.get(step.resource)!.add(model.catalog.resources.get(step.resource)!.states[to]);
        if (setsComputedState(step)) anyState.add(step.resource);
        return;
      }
      if (!stateWrites(step)) return;
      const resource = model.catalog.resources.get(step.target.resource)!;
      const state = writtenState(step, resource.states);
      if (state === null) anyState.add(resource.name);
      else entered.get(resource.name)!.add(state);
    });
  }
  for (const scenario of model.document.scenarios) {
    for (const instance of scenario.instances) if (instance.state !== undefined) entered.get(instance.type)?.add(instance.state);
  }
  model.document.resources.forEach((doc, r) => {
    const resource = model.catalog.resources.get(doc.name)!;
    const initial = resource.states[resource.initial];
    doc.states.forEach((state, k) => {
      const path = `resources[${r}].states[${k}]`;
      if (!reachable.get(doc.name)!.has(state.name)) {
        lints.push({
          code: 'unreachable-state',
          severity: 'warning',
          path,
          message: `${doc.name}: state '${state.name}' cannot be reached from the initial state '${initial}' by any transition`,
        });
      } else if (!entered.get(doc.name)!.has(state.name) && !anyState.has(doc.name)) {
        lints.push({
          code: 'unused-state',
          severity: 'warning',
          path,
          message: `${doc.name}: state '${state.name}' is never used: no operation writes it, no scenario starts an instance in it, and it is not the initial state`,
        });
      }
    });
  });
}

// ---- locks along paths --------------------------------------------------------

interface HeldLock {
  /** Which lock instance, as the text of its `on`; a release with the same text releases it. */
  key: string;
  name: string;
  /** Locals its `on` reads: once one is assigned again, the same text names another instance. */
  deps: string[];
  /** The step that took it: an `acquire` or a `with`. */
  by: AnalyzedStep;
}
/** Locks that may be held, by lock instance and the step that took it (one lock may come from either branch). */
type Held = Map<string, HeldLock>;
const heldId = (key: string, by: AnalyzedStep) => `${key}@${by.path}`;

interface Exit {
  kind: 'abort' | 'return' | 'end';
  step: AnalyzedStep | null;
  /** What makes it abort, for the message. */
  why?: string;
}

function lintOperationLocks(op: AnalyzedOperation, lints: Lint[]): void {
  const reported = new Set<string>();
  const report = (lint: Lint, dedupe: string) => {
    if (reported.has(dedupe)) return;
    reported.add(dedupe);
    lints.push(lint);
  };
  const exit = (held: Held, e: Exit) => {
    for (const lock of held.values()) {
      if (lock.by.kind !== 'acquire') continue; // `with` releases on every exit
      const how =
        e.kind === 'end'
          ? `when ${op.name} finishes`
          : e.kind === 'return'
            ? `when ${op.name} returns at ${where(e.step!)}`
            : `when ${op.name} aborts at ${where(e.step!)}${e.why ? ` (${e.why})` : ''}`;
      report(
        {
          code: 'lock-not-released',
          severity: 'warning',
          path: lock.by.path,
          message: `${op.name} › ${where(lock.by)}: ${lock.name} is not released on every path: it is still held ${how}`,
        },
        `leak ${lock.by.path} ${e.kind} ${e.step?.path ?? ''}`,
      );
    }
  };
  const longCall = (held: Held, step: AnalyzedStep & { kind: 'call' }) => {
    for (const lock of held.values()) {
      const how = lock.by.kind === 'with' ? `inside ${where(lock.by)}` : `acquired at ${where(lock.by)}`;
      report(
        {
          code: 'lock-held-across-long-call',
          severity: 'warning',
          path: step.path,
          message: `${op.name} › ${where(step)}: ${lock.name} is held across the long-running call '${step.name}' (${how}); release it before the call`,
        },
        `long ${step.path} ${lock.key}`,
      );
    }
  };

  /** Walks a block with the locks that may be held on entry; returns those that may be held where it falls through (null: it never does). */
  const block = (steps: AnalyzedStep[], entry: Held | null): Held | null => {
    let held = entry;
    for (const step of steps) {
      if (held === null) return null; // unreachable: after abort/return
      held = single(step, held);
    }
    return held;
  };
  const single = (step: AnalyzedStep, held: Held): Held | null => {
    switch (step.kind) {
      case 'read':
        return detach(held, step.local, step);
      case 'await':
      case 'assert':
        return held;
      case 'require':
        exit(held, { kind: 'abort', step, why: 'its requirement fails' });
        return held;
      case 'cas':
        if (step.else === 'abort') exit(held, { kind: 'abort', step, why: 'the cas fails' });
        return held;
      case 'update':
        // A failed update runs onFail, or aborts (else abort), or goes on (skip) / waits (retry).
        if (step.onFail) return union(held, block(step.onFail, held));
        if (step.else === 'abort') exit(held, { kind: 'abort', step, why: 'the update does not match' });
        return held;
      case 'write':
        if (!step.fencedBy) return held;
        // A rejected fenced write runs onFail, or aborts.
        if (step.onFail) return union(held, block(step.onFail, held));
        exit(held, { kind: 'abort', step, why: 'the fenced write is rejected' });
        return held;
      case 'atomic':
        return atomic(step.steps, held, step);
      case 'if':
        return union(block(step.then, held), block(step.else, held));
      case 'acquire': {
        const taken = with_(held, lockOf(step), step);
        if (!step.try && step.timeout === null) return taken;
        return union(taken, block(step.else, held));
      }
      case 'release': {
        const key = lockOf(step).key;
        return new Map([...held].filter(([, lock]) => lock.key !== key));
      }
      case 'with': {
        const lock = lockOf(step);
        const inside = block(step.steps, with_(held, lock, step));
        if (inside === null) return null;
        const after = new Map(inside);
        // The end of the block releases the with's own lock.
        after.delete(heldId(lock.key, step));
        return after;
      }
      case 'call': {
        if (step.long) longCall(held, step);
        if (!step.mayFail) return held;
        if (step.onFail) return union(held, block(step.onFail, held));
        exit(held, { kind: 'abort', step, why: `the call '${step.name}' fails` });
        return held;
      }
      case 'repeat': {
        // A back edge: what a round may leave held is held at the next round's start; grow to a fixpoint.
        let start = held;
        let after = block(step.steps, start);
        for (let round = 0; round < 8; round++) {
          const next = union(start, after)!;
          if (next.size === start.size) break;
          start = next;
          after = block(step.steps, start);
        }
        return step.until ? after : null; // without `until` nothing follows the loop
      }
      case 'abort':
        exit(held, { kind: 'abort', step });
        return null;
      case 'return':
        exit(held, { kind: 'return', step });
        return null;
      default:
        return unreachable(step, 'step kind');
    }
  };
  /** An atomic block: its aborts roll back and end the operation; returns what may be held after it (null: it never falls through). */
  const atomic = (steps: AnalyzedStep[], entry: Held, owner: AnalyzedStep): Held | null => {
    let held = entry;
    for (const step of steps) {
      switch (step.kind) {
        case 'read':
          held = detach(held, step.local, step);
          break;
        case 'require':
          exit(held, { kind: 'abort', step: owner, why: `${where(step)} fails` });
          break;
        case 'cas':
          if (step.else === 'abort') exit(held, { kind: 'abort', step: owner, why: `${where(step)} fails` });
          break;
        case 'update':
          if (step.else === 'abort') exit(held, { kind: 'abort', step: owner, why: `${where(step)} does not match` });
          break;
        case 'write':
          if (step.fencedBy) exit(held, { kind: 'abort', step: owner, why: `${where(step)} is rejected` });
          break;
        case 'abort':
          exit(held, { kind: 'abort', step: owner, why: `${where(step)}` });
          return null;
        case 'return':
          exit(held, { kind: 'return', step: owner });
          return null;
        case 'if': {
          const after = union(atomic(step.then, held, owner), atomic(step.else, held, owner));
          if (after === null) return null;
          held = after;
          break;
        }
        case 'await':
        case 'assert':
          break;
        // Validation refuses these inside atomic (LS212): nothing to follow.
        case 'atomic':
        case 'acquire':
        case 'release':
        case 'with':
        case 'call':
        case 'repeat':
          break;
        default:
          return unreachable(step, 'step kind');
      }
    }
    return held;
  };

  const atEnd = block(op.steps, new Map());
  if (atEnd) exit(atEnd, { kind: 'end', step: null });
}

/**
 * `read x = …` after `acquire L(x)`: a later `release L(x)` releases another instance, so the one taken
 * stays held. (A `with` block releases what it took, whatever its `on` names by then.)
 */
function detach(held: Held, local: string, step: AnalyzedStep): Held {
  let out: Held | null = null;
  for (const [id, lock] of held) {
    if (lock.by.kind !== 'acquire' || !lock.deps.includes(local)) continue;
    out ??= new Map(held);
    out.set(id, { ...lock, key: `${lock.key} before ${step.path}`, deps: [] });
  }
  return out ?? held;
}

function with_(held: Held, lock: { key: string; name: string; deps: string[] }, by: AnalyzedStep): Held {
  const next = new Map(held);
  next.set(heldId(lock.key, by), { ...lock, by });
  return next;
}

function union(a: Held | null, b: Held | null): Held | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Map(a);
  for (const [key, lock] of b) if (!out.has(key)) out.set(key, lock);
  return out;
}

function lockOf(use: LockUse): { key: string; name: string; deps: string[] } {
  const on = use.on ? render(use.on) : null;
  const name = on === null ? use.lock : `${use.lock}(${on})`;
  return { key: name, name, deps: use.on ? localsOf(use.on) : [] };
}

function localsOf(expr: Typed): string[] {
  switch (expr.kind) {
    case 'local':
      return [expr.name];
    case 'field':
      return localsOf(expr.object);
    case 'not':
    case 'neg':
      return localsOf(expr.arg);
    case 'binary':
      return [...localsOf(expr.left), ...localsOf(expr.right)];
    default:
      return [];
  }
}

function render(expr: Typed): string {
  switch (expr.kind) {
    case 'param':
    case 'local':
    case 'instance':
    case 'qvar':
      return expr.name;
    case 'field':
      return `${render(expr.object)}.${expr.field}`;
    case 'const':
      return String(expr.value);
    default:
      return JSON.stringify(expr);
  }
}

function where(step: { where: string; label?: string }): string {
  return step.label ? `${step.where} '${step.label}'` : step.where;
}
