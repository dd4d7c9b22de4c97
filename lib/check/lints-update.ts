/**
 * Lints of the `update` step: conditions that can never all hold, and a `set`
 * of a literal state that is not a transition from some state the conditions
 * accept. Sound: each finding holds for every run of every scenario (when the
 * scenario's illegal-transition check is on, instances only move along
 * transitions).
 */
import type { AnalyzedModel, AnalyzedOperation, AnalyzedStep } from '../model/analyzed';
import { forEachAnalyzedStep } from '../model/analyzed';
import type { ResourceInfo } from '../model/catalog';
import type { Type, Typed } from '../model/expr/types';
import type { Lint } from './lints';

type UpdateStep = Extract<AnalyzedStep, { kind: 'update' }>;

/** Domains up to this size are enumerated to intersect conditions. */
const MAX_DOMAIN = 256;

export function lintUpdates(model: AnalyzedModel, op: AnalyzedOperation, reachable: Map<string, Set<string>>, lints: Lint[]): void {
  const starts = scenarioStarts(model);
  forEachAnalyzedStep(op.steps, (step) => {
    if (step.kind !== 'update') return;
    const resource = model.catalog.resources.get(step.resource)!;
    const at = `${op.name} › ${where(step)}`;
    const never = neverHolds(step, resource, everPossibleStates(resource, starts.get(resource.name) ?? new Set()));
    if (never) {
      lints.push({ code: 'update-never-matches', severity: 'error', path: never.path, message: `${at}: the update can never match: ${never.why}` });
      return;
    }
    const to = setState(step);
    if (to === null) return;
    if (!reachable.get(resource.name)!.has(resource.states[to])) {
      lints.push({
        code: 'unreachable-write',
        severity: 'error',
        path: step.path,
        message: `${at}: update to ${resource.name} state '${resource.states[to]}', which ${resource.name}'s state machine cannot reach from its initial state '${resource.states[resource.initial]}' (every such update is an illegal transition)`,
      });
      return;
    }
    const from = acceptedStates(step, resource);
    if (from === null) return; // no condition on state: the lint would guess
    const illegal = [...from].filter((s) => s !== to && !resource.edges.has(`${resource.states[s]}->${resource.states[to]}`));
    if (illegal.length === 0) return;
    const names = illegal.map((s) => `'${resource.states[s]}'`).join(', ');
    lints.push({
      code: 'update-illegal-transition',
      severity: illegal.length === from.size ? 'error' : 'warning',
      path: step.path,
      message: `${at}: the update accepts ${resource.name} in ${names} and sets state '${resource.states[to]}', which is not a transition from ${illegal.length === 1 ? 'it' : 'them'} (an illegal transition when it matches there)`,
    });
  });
}

/** The state an update writes as a literal: its index; null when it sets no state or a computed one. */
export function setState(step: UpdateStep): number | null {
  const entry = step.set.find((s) => s.target.field === 'state');
  return entry && entry.value.kind === 'const' ? entry.value.value : null;
}

/** Whether the update sets the state from a computed value (any state may be entered). */
export function setsComputedState(step: UpdateStep): boolean {
  return step.set.some((s) => s.target.field === 'state' && s.value.kind !== 'const');
}

/** The values a where condition with constant values accepts, over a finite domain (null: not known). */
function accepted(cond: UpdateStep['expected'][number]): Set<number> | null {
  if (!cond.values.every((v) => v.kind === 'const')) return null;
  const domain = domainOf(cond.target.type);
  if (!domain) return null;
  const values = new Set(cond.values.map((v) => (v as Typed & { kind: 'const' }).value));
  const positive = cond.op === '==' || cond.op === 'in';
  return new Set(domain.filter((v) => values.has(v) === positive));
}

function domainOf(type: Type): number[] | null {
  switch (type.kind) {
    case 'bool':
      return [0, 1];
    case 'enum':
      return type.values.map((_, i) => i);
    case 'int':
      return type.max - type.min < MAX_DOMAIN ? Array.from({ length: type.max - type.min + 1 }, (_, i) => type.min + i) : null;
    case 'ref':
      return null;
  }
}

/** The states the update's state condition accepts (null: it has none with constant values). */
function acceptedStates(step: UpdateStep, resource: ResourceInfo): Set<number> | null {
  const cond = step.expected.find((w) => w.target.field === 'state');
  if (!cond) return null;
  const states = accepted(cond);
  return states && states.size < resource.states.length ? states : null;
}

function neverHolds(step: UpdateStep, resource: ResourceInfo, possible: Set<number>): { path: string; why: string } | null {
  for (let i = 0; i < step.expected.length; i++) {
    const cond = step.expected[i];
    const path = `${step.path}.where[${i}]`;
    const values = accepted(cond);
    if (values === null) continue;
    const field = cond.target.field;
    if (values.size === 0) return { path, why: `no value of ${field} is ${cond.op} ${valuesText(cond)}` };
    if (field === 'state' && ![...values].some((s) => possible.has(s))) {
      const names = [...values].map((s) => `'${resource.states[s]}'`).join(', ');
      return { path, why: `no ${resource.name} is ever in ${names} (no transition path leads there from the initial state or a scenario's starting state)` };
    }
  }
  const never = step.filters.findIndex((f) => f.cond.kind === 'const' && f.cond.value === 0);
  if (never >= 0) return { path: `${step.path}.filters[${never}].cond`, why: `the filter ${step.filters[never].name} is always false` };
  return null;
}

function valuesText(cond: UpdateStep['expected'][number]): string {
  const list = cond.values.map((v) => String((v as Typed & { kind: 'const' }).value));
  return cond.op === 'in' || cond.op === 'not in' ? `[${list.join(', ')}]` : list[0];
}

/** States any instance of the resource can be in: reachable from the initial state or a scenario's starting state. */
function everPossibleStates(resource: ResourceInfo, starts: Set<string>): Set<number> {
  const next = new Map<string, string[]>();
  for (const edge of resource.edges) {
    const [from, to] = edge.split('->');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const seen = new Set<string>([resource.states[resource.initial], ...starts]);
  const queue = [...seen];
  while (queue.length > 0) {
    for (const to of next.get(queue.shift()!) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return new Set(resource.states.flatMap((s, i) => (seen.has(s) ? [i] : [])));
}

function scenarioStarts(model: AnalyzedModel): Map<string, Set<string>> {
  const starts = new Map<string, Set<string>>();
  for (const scenario of model.document.scenarios) {
    for (const instance of scenario.instances) {
      if (instance.state === undefined) continue;
      if (!starts.has(instance.type)) starts.set(instance.type, new Set());
      starts.get(instance.type)!.add(instance.state);
    }
  }
  return starts;
}

function where(step: { where: string; label?: string }): string {
  return step.label ? `${step.where} '${step.label}'` : step.where;
}
