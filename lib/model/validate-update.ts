/**
 * Validation of the `update` step (Cinder's conditional_update): the target
 * denotes an instance, every where/set field exists on its resource, values
 * type-check against the field, `in`/`not in` take a list, filters are bool,
 * and the failure handling is one of `else` or `onFail` (+ `failedAs`).
 */
import type { AnalyzedStep, LValue } from './analyzed';
import { ExprError } from './expr/ast';
import { parseExpr } from './expr/parse';
import { didYouMean } from './expr/suggest';
import { typecheckAs, type Binding } from './expr/typecheck';
import { BOOL, sameMembers, typeName, type Type, type Typed } from './expr/types';
import type { Catalog } from './catalog';
import type { IssueCode } from './issues';
import type { Step } from './schema';

type UpdateStep = Extract<Step, { kind: 'update' }>;
type AnalyzedUpdate = Omit<Extract<AnalyzedStep, { kind: 'update' }>, 'path' | 'where' | 'text' | 'label'>;

/** What the update's analysis needs from the validator (bound to the step's site). */
export interface UpdateTools {
  catalog: Catalog;
  opName: string;
  path: string;
  prefix: string;
  inAtomic: boolean;
  scope: Map<string, Binding>;
  locals: Map<string, Type>;
  issue(path: string, message: string, code: IssueCode): void;
  /** Parses and type-checks `source` at `path.field`, reporting errors (null then). */
  expr(field: string, source: string, expected?: Type): Typed | null;
  /** Reports an expression error at `path.field`. */
  fail(field: string, error: unknown): void;
  nested(steps: Step[], key: string): AnalyzedStep[];
}

export function analyzeUpdate(step: UpdateStep, t: UpdateTools): AnalyzedUpdate | null {
  const { path, prefix } = t;
  const instance = t.expr('target', step.target);
  let resource: string | null = null;
  if (instance) {
    if (instance.type.kind !== 'ref') t.fail('target', new ExprError(`the target must denote an instance (e.g. share), but this is ${typeName(instance.type)}`, 1));
    else resource = instance.type.resource;
  }
  const info = resource ? t.catalog.resources.get(resource) : undefined;
  /** The row's field as an LValue, or null (reported) when the resource has no such field. */
  const field = (name: string, at: string): LValue | null => {
    if (!info || !instance) return null;
    const type = info.fields.get(name);
    if (!type) {
      t.issue(at, `${prefix}: ${info.name} has no field '${name}'${didYouMean(name, info.fields.keys())}`, 'LS230');
      return null;
    }
    return { object: instance, resource: info.name, field: name, type };
  };

  // ---- where: expected values of the row's own fields -----------------------
  const expected: AnalyzedUpdate['expected'] = [];
  const conditions: string[] = [];
  const seen = new Set<string>();
  const named = (name: string, at: string) => {
    if (seen.has(name)) t.issue(at, `${prefix}: two conditions are called '${name}'; merge them or rename the filter (failedAs names the one that failed)`, 'LS234');
    seen.add(name);
    conditions.push(name);
  };
  step.where.forEach((cond, i) => {
    const at = `${path}.where[${i}]`;
    named(cond.field, `${at}.field`);
    const target = field(cond.field, `${at}.field`);
    if (!target) return;
    const values = whereValues(cond, i, target.type, t);
    if (values) expected.push({ target, op: cond.op, values });
  });

  // ---- filters: named conditions over anything ------------------------------
  const filters: AnalyzedUpdate['filters'] = [];
  (step.filters ?? []).forEach((filter, i) => {
    named(filter.name, `${path}.filters[${i}].name`);
    const cond = t.expr(`filters[${i}].cond`, filter.cond, BOOL);
    if (cond) filters.push({ name: filter.name, cond });
  });

  // ---- set: new values, read from the row as it was ------------------------
  const set: AnalyzedUpdate['set'] = [];
  const setFields = new Set<string>();
  step.set.forEach((entry, i) => {
    const at = `${path}.set[${i}]`;
    if (setFields.has(entry.field)) t.issue(`${at}.field`, `${prefix}: '${entry.field}' is set twice; an update sets each field once`, 'LS237');
    setFields.add(entry.field);
    const target = field(entry.field, `${at}.field`);
    if (!target) return;
    const value = t.expr(`set[${i}].value`, entry.value, target.type);
    if (value) set.push({ target, value });
  });

  // ---- failure handling ------------------------------------------------------
  if (step.else !== undefined && step.onFail !== undefined) {
    t.issue(`${path}.else`, `${prefix}: give either 'else' (abort, skip, retry) or an 'onFail' block, not both`, 'LS233');
  }
  if (t.inAtomic && (step.else === 'retry' || step.onFail !== undefined)) {
    const what = step.onFail !== undefined ? 'onFail' : "else 'retry'";
    t.issue(`${path}.${step.onFail !== undefined ? 'onFail' : 'else'}`, `${prefix}: ${what} cannot be used inside atomic; use else abort or skip`, 'LS238');
  }
  if (step.failedAs !== undefined && step.onFail === undefined) {
    t.issue(`${path}.failedAs`, `${prefix}: failedAs names the failed condition for the onFail steps; add onFail or remove failedAs`, 'LS235');
  }
  const failedAs = step.failedAs ?? null;
  let onFail: AnalyzedStep[] | null = null;
  if (step.onFail !== undefined) {
    if (failedAs === null || conditions.length === 0) {
      onFail = t.nested(step.onFail, 'onFail');
    } else {
      const type: Type = { kind: 'enum', of: `${t.opName}.${failedAs}`, values: conditions };
      const existing = t.scope.get(failedAs);
      const known = t.locals.get(failedAs);
      if (existing && existing.kind !== 'local') {
        t.issue(`${path}.failedAs`, `${prefix}: '${failedAs}' is a parameter; name the failed condition something else`, 'LS236');
      } else if (known && !sameConditions(known, type)) {
        t.issue(`${path}.failedAs`, `${prefix}: local '${failedAs}' is already ${typeName(known)}; pick another name for the failed condition`, 'LS236');
      }
      // Visible in onFail only: after a successful update it would hold a stale (or zero) value.
      if (!(existing && existing.kind !== 'local')) t.locals.set(failedAs, known && !sameConditions(known, type) ? known : type);
      const shadowed = t.scope.get(failedAs);
      t.scope.set(failedAs, { kind: 'local', type: t.locals.get(failedAs) ?? type });
      onFail = t.nested(step.onFail, 'onFail');
      if (shadowed) t.scope.set(failedAs, shadowed);
      else t.scope.delete(failedAs);
    }
  }
  if (failedAs !== null && conditions.length === 0 && step.onFail !== undefined) {
    t.issue(`${path}.failedAs`, `${prefix}: failedAs needs at least one where condition or filter to name`, 'LS235');
  }

  if (!instance || !resource || expected.length !== step.where.length || filters.length !== (step.filters ?? []).length || set.length !== step.set.length) {
    return null;
  }
  return {
    kind: 'update',
    instance,
    resource,
    expected,
    filters,
    set,
    else: step.else ?? 'abort',
    message: step.message ?? `update of ${step.target} did not match`,
    conditions,
    failedAs,
    onFail,
  };
}

/** A where value: one expression for ==/!=, a list's items for in/not in, each of the field's type. */
function whereValues(cond: UpdateStep['where'][number], i: number, type: Type, t: UpdateTools): Typed[] | null {
  const field = `where[${i}].value`;
  let parsed;
  try {
    parsed = parseExpr(cond.value);
  } catch (error) {
    t.fail(field, error);
    return null;
  }
  const list = cond.op === 'in' || cond.op === 'not in';
  if (list !== (parsed.kind === 'list')) {
    const message = list
      ? `'${cond.op}' needs a list, as in ["available", "error"]`
      : `'${cond.op}' compares with one value; use 'in' or 'not in' for a list`;
    t.issue(`${t.path}.${field}`, `${t.prefix} › ${field}: ${message}`, 'LS232');
    return null;
  }
  const items = parsed.kind === 'list' ? parsed.items : [parsed];
  const out: Typed[] = [];
  for (const item of items) {
    try {
      out.push(typecheckAs(item, type, t.scope, t.catalog));
    } catch (error) {
      t.fail(field, error);
      return null;
    }
  }
  return out;
}

function sameConditions(a: Type, b: Type): boolean {
  return a.kind === 'enum' && b.kind === 'enum' && a.of === b.of && sameMembers(a.values, b.values);
}
