/**
 * What refers to a state, found by asking the validator: delete the state in
 * a trial copy and see which new problems appear. That uses the real type
 * checker, so `"available"` of a Snapshot never counts as a Share's state.
 * When the document is too broken to validate, a textual scan stands in.
 */
import { parseExpr, validateModel, type Expr, type ModelDocument, type ModelIssue } from '@/lib/model';
import { forEachUncheckedStep } from '@/lib/model/walk';
import { applyEdit, type EditAction } from './actions';
import { formatSegments } from './path';

export interface Reference {
  path: string;
  message: string;
}

const key = (i: ModelIssue) => `${i.path}\u0000${i.message}`;

function issuesOf(doc: ModelDocument): ModelIssue[] {
  const result = validateModel(doc);
  return result.ok ? [] : result.issues;
}

export function stateReferences(doc: ModelDocument, resource: number, state: string): Reference[] {
  const res = doc.resources[resource];
  if (!res) return [];
  const refs: Reference[] = [];
  if (res.initial === state) refs.push({ path: `resources[${resource}].initial`, message: `${state} is the initial state of ${res.name}` });
  const others = res.states.filter((s) => s.name !== state);
  if (others.length === 0) return [...refs, { path: `resources[${resource}].states`, message: `${res.name} needs at least one state` }];
  // Trial: point `initial` elsewhere so the validator goes on to expressions and scenarios.
  const base = res.initial === state ? applyEdit(doc, { type: 'setInitial', resource, state: others[0].name }) : doc;
  const before = issuesOf(base);
  if (before.some((i) => i.code === 'LS101' || i.path.startsWith('resources') || i.path.startsWith('locks'))) {
    return [...refs, ...textualReferences(doc, res.name, state)];
  }
  const seen = new Set(before.map(key));
  const after = issuesOf(applyEdit(base, { type: 'deleteState', resource, state }));
  for (const issue of after) if (!seen.has(key(issue))) refs.push({ path: issue.path, message: issue.message });
  return refs;
}

function exprMentions(source: string, state: string): boolean {
  let expr: Expr;
  try {
    expr = parseExpr(source);
  } catch {
    return source.includes(`"${state}"`);
  }
  const walk = (e: Expr): boolean => {
    switch (e.kind) {
      case 'str':
        return e.value === state;
      case 'count':
        return e.state === state;
      case 'field':
        return walk(e.object);
      case 'unary':
        return walk(e.arg);
      case 'binary':
        return walk(e.left) || walk(e.right);
      case 'list':
        return e.items.some(walk);
      case 'quant':
        return walk(e.body);
      case 'holds':
        return e.on ? walk(e.on) : false;
      default:
        return false;
    }
  };
  return walk(expr);
}

/** Conservative fallback: any expression or scenario that mentions the state's name. */
function textualReferences(doc: ModelDocument, resourceName: string, state: string): Reference[] {
  const refs: Reference[] = [];
  doc.operations.forEach((op, i) => {
    const where = `operation ${op.name}`;
    forEachUncheckedStep(op.steps, (step, stepPath) => {
      const path = formatSegments(['operations', i, 'steps', ...stepPath]);
      for (const field of ['cond', 'expr', 'value', 'on']) {
        if (typeof step[field] === 'string' && exprMentions(step[field] as string, state)) {
          refs.push({ path: `${path}.${field}`, message: `${where} mentions '${state}'` });
        }
      }
      if (step.kind === 'update') {
        // An update's expressions sit in its rows: where values, set values, filter conditions.
        const rows: Array<[string, unknown, string]> = [
          ...((step.where as Array<{ value?: unknown }> | undefined) ?? []).map((w, k): [string, unknown, string] => ['where', w?.value, `[${k}].value`]),
          ...((step.set as Array<{ value?: unknown }> | undefined) ?? []).map((w, k): [string, unknown, string] => ['set', w?.value, `[${k}].value`]),
          ...((step.filters as Array<{ cond?: unknown }> | undefined) ?? []).map((f, k): [string, unknown, string] => ['filters', f?.cond, `[${k}].cond`]),
        ];
        for (const [list, source, rest] of rows) {
          if (typeof source === 'string' && exprMentions(source, state)) refs.push({ path: `${path}.${list}${rest}`, message: `${where} mentions '${state}'` });
        }
      }
      if (step.kind === 'cas' && ((step.from as unknown[]) ?? []).concat([step.to]).includes(state)) {
        refs.push({ path, message: `${where}: cas mentions '${state}'` });
      }
    });
  });
  doc.invariants.forEach((inv, i) => {
    if (exprMentions(inv.expr, state)) refs.push({ path: `invariants[${i}].expr`, message: `invariant ${inv.name} mentions '${state}'` });
  });
  doc.scenarios.forEach((s, si) => {
    s.instances.forEach((inst, i) => {
      if (inst.type === resourceName && inst.state === state) {
        refs.push({ path: `scenarios[${si}].instances[${i}].state`, message: `scenario ${s.name}: ${inst.name} starts in '${state}'` });
      }
    });
    (s.invariants ?? []).forEach((inv, i) => {
      if (exprMentions(inv.expr, state)) refs.push({ path: `scenarios[${si}].invariants[${i}].expr`, message: `scenario ${s.name}: invariant ${inv.name} mentions '${state}'` });
    });
  });
  return refs;
}

/**
 * What would break if `action` were applied: the problems it adds. Used to
 * refuse deleting a resource, lock or operation that something still uses.
 */
export function newProblems(doc: ModelDocument, action: EditAction): Reference[] {
  const before = new Set(issuesOf(doc).map(key));
  return issuesOf(applyEdit(doc, action))
    .filter((i) => !before.has(key(i)))
    .map((i) => ({ path: i.path, message: i.message }));
}
