/**
 * Why an invariant or assertion is false, in the values of its parts:
 * `at(deleteShareNaive, "driver-delete") = 2, not <= 1`, or
 * `for n = snap1: n.state = "creating" and n.share.state = "deleted"`.
 *
 * It evaluates the typed expression again over a state's view (what a person
 * reads, and what a share page has without the packed states), following
 * only the parts that decide the result: the first false conjunct, every
 * false disjunct, a quantifier's witness.
 */
import { forEachAnalyzedStep, type AnalyzedModel } from '../model/analyzed';
import type { Type, Typed } from '../model/expr/types';
import type { ProcessView, StateView, Violation } from './result';

type Value = number | boolean | string;

export interface ExplainScope {
  view: StateView;
  /** A resource type's states in index order (`count` names its state by index). */
  statesOf(resource: string): readonly string[];
  /** For an assertion: the process it runs in (its locals) and its parameters (name → instance). */
  process?: { view: ProcessView; params: Record<string, string> };
}

/** The values that make `expr` false in `scope`, joined into one phrase; null when it is not false there. */
export function explainFalse(expr: Typed, scope: ExplainScope): string | null {
  const e = new Explainer(scope);
  if (truthy(e.value(expr, new Map()))) return null;
  const facts = e.reasons(expr, false, new Map());
  return facts.length ? facts.join(' and ') : `${show(expr, scope.statesOf)} is false`;
}

export interface ViolationExplanation {
  /** "invariant one-driver-delete is false: at(deleteShareNaive, "driver-delete") = 2, not <= 1" */
  sentence: string;
  /** The condition as written. */
  source: string;
}

/**
 * Explains an invariant broken in `after`, or an assertion that failed on
 * the step from `before`, for `scenario` of `model`. Null for other
 * violations, or when the values here do not make the condition false (a
 * trace replayed on another version, say).
 */
export function explainViolationValues(model: AnalyzedModel, scenario: string, violation: Violation, before: StateView | null, after: StateView): ViolationExplanation | null {
  const analyzed = model.scenarios.find((s) => s.source.name === scenario);
  if (!analyzed) return null;
  const statesOf = (resource: string) => model.catalog.resources.get(resource)?.states ?? [];
  if (violation.kind === 'invariant' && violation.name) {
    const inv = [...model.invariants, ...analyzed.invariants].find((i) => i.name === violation.name);
    if (!inv) return null;
    const why = explainFalse(inv.expr, { view: after, statesOf });
    return why ? { sentence: `invariant ${inv.name} is false: ${why}`, source: inv.source } : null;
  }
  if (violation.kind === 'assertion' && violation.process && before) {
    const proc = before.processes.find((p) => p.name === violation.process);
    const operation = proc && model.operations.get(proc.operation);
    if (!proc || !operation) return null;
    const params = paramsOf(analyzed.source, proc.name);
    let found: ViolationExplanation | null = null;
    forEachAnalyzedStep(operation.steps, (step) => {
      if (found || step.kind !== 'assert' || step.message !== violation.name) return;
      const why = explainFalse(step.cond, { view: before, statesOf, process: { view: proc, params } });
      if (why) found = { sentence: `assertion "${step.message}" in ${proc.name} is false: ${why}`, source: show(step.cond, statesOf) };
    });
    return found;
  }
  return null;
}

/** A process's arguments, from the scenario entry it was placed from (`name`, or `name#k` for one of `count` copies). */
function paramsOf(scenario: AnalyzedModel['scenarios'][number]['source'], processName: string): Record<string, string> {
  const base = processName.replace(/#\d+$/, '');
  const entries = [...scenario.processes, ...(scenario.recovery ?? [])];
  const entry = entries.find((p) => (p.name ?? p.operation) === processName) ?? entries.find((p) => (p.name ?? p.operation) === base);
  return entry ? { ...entry.args } : {};
}

const truthy = (v: Value) => v !== false && v !== 0;

class Explainer {
  constructor(private readonly scope: ExplainScope) {}

  private show(expr: Typed): string {
    return show(expr, this.scope.statesOf);
  }

  value(expr: Typed, vars: Map<string, string>): Value {
    const view = this.scope.view;
    switch (expr.kind) {
      case 'const':
        return decode(expr.value, expr.type, view);
      case 'local':
        return this.scope.process?.view.locals[expr.name] ?? 0;
      case 'param':
        return this.scope.process?.params[expr.name] ?? '';
      case 'instance':
        return expr.name;
      case 'qvar':
        return vars.get(expr.name) ?? '';
      case 'field': {
        const inst = view.instances.find((i) => i.name === this.value(expr.object, vars));
        if (!inst) return '';
        return expr.field === 'state' ? inst.state : (inst.fields[expr.field] ?? '');
      }
      case 'not':
        return !truthy(this.value(expr.arg, vars));
      case 'neg':
        return -Number(this.value(expr.arg, vars));
      case 'binary': {
        const l = this.value(expr.left, vars);
        if (expr.op === '&&') return truthy(l) && truthy(this.value(expr.right, vars));
        if (expr.op === '||') return truthy(l) || truthy(this.value(expr.right, vars));
        const r = this.value(expr.right, vars);
        switch (expr.op) {
          case '==':
            return l === r;
          case '!=':
            return l !== r;
          case '<':
            return Number(l) < Number(r);
          case '<=':
            return Number(l) <= Number(r);
          case '>':
            return Number(l) > Number(r);
          case '>=':
            return Number(l) >= Number(r);
          case '+':
            return Number(l) + Number(r);
          case '-':
            return Number(l) - Number(r);
        }
        return false;
      }
      case 'in': {
        const v = this.value(expr.value, vars);
        return expr.items.some((item) => this.value(item, vars) === v);
      }
      case 'quant': {
        const holds = (name: string) => truthy(this.value(expr.body, new Map(vars).set(expr.variable, name)));
        const domain = this.domain(expr.resource);
        return expr.quantifier === 'all' ? domain.every(holds) : domain.some(holds);
      }
      case 'count': {
        const state = this.scope.statesOf(expr.resource)[expr.state];
        return view.instances.filter((i) => i.type === expr.resource && i.state === state).length;
      }
      case 'at':
        // A `with` block's closing step carries its label too, but at() counts only the step itself.
        return view.processes.filter((p) => p.operation === expr.operation && p.status === 'running' && p.at?.label === expr.label && !p.at.text.startsWith('end of ')).length;
      case 'holds': {
        const on = expr.on ? this.value(expr.on, vars) : null;
        return view.locks.some((l) => l.lock === expr.lock && l.instance === on && l.holders.length > 0);
      }
      case 'token': {
        // Lock instances are named as in the lock table: `L`, or `L(share1)`.
        const key = expr.on ? `${expr.lock}(${String(this.value(expr.on, vars))})` : expr.lock;
        return this.scope.process?.view.tokens?.[key] ?? 0;
      }
      case 'fence': {
        const fenceOf = (name: string | null) => view.instances.find((i) => i.name === name)?.fences?.[expr.lock] ?? 0;
        if (expr.on) return fenceOf(String(this.value(expr.on, vars)));
        return Math.max(0, ...view.instances.map((i) => i.fences?.[expr.lock] ?? 0));
      }
    }
  }

  private domain(resource: string): string[] {
    return this.scope.view.instances.filter((i) => i.type === resource).map((i) => i.name);
  }

  /** The facts that make `expr` evaluate to `want` (its actual value). */
  reasons(expr: Typed, want: boolean, vars: Map<string, string>): string[] {
    switch (expr.kind) {
      case 'not':
        return this.reasons(expr.arg, !want, vars);
      case 'binary':
        if (expr.op === '&&' || expr.op === '||') {
          const parts = chain(expr, expr.op);
          // && false and || true: one part decides; && true and || false: every part does.
          const decidedByOne = (expr.op === '&&') !== want;
          if (decidedByOne) {
            const part = parts.find((p) => truthy(this.value(p, vars)) === want)!;
            return this.reasons(part, want, vars);
          }
          return parts.flatMap((p) => this.reasons(p, want, vars));
        }
        return [this.comparison(expr, want, vars)];
      case 'in': {
        const v = this.value(expr.value, vars);
        const fact = `${this.show(expr.value)} = ${this.text(v, expr.value.type)}`;
        return [want ? fact : `${fact}, not in [${expr.items.map((i) => this.show(i)).join(', ')}]`];
      }
      case 'quant': {
        const domain = this.domain(expr.resource);
        const at = (name: string) => new Map(vars).set(expr.variable, name);
        const witnessed = (expr.quantifier === 'all') !== want;
        if (witnessed) {
          // all(...) false or any(...) true: one instance shows it.
          const name = domain.find((n) => truthy(this.value(expr.body, at(n))) === want)!;
          return [`for ${expr.variable} = ${name}: ${this.reasons(expr.body, want, at(name)).join(' and ')}`];
        }
        if (domain.length === 0) return [`there is no ${expr.resource}`];
        return domain.map((name) => `for ${expr.variable} = ${name}: ${this.reasons(expr.body, want, at(name)).join(' and ')}`);
      }
      default: {
        const v = this.value(expr, vars);
        return [`${this.show(expr)} = ${this.text(v, expr.type)}`];
      }
    }
  }

  private comparison(expr: Typed & { kind: 'binary' }, want: boolean, vars: Map<string, string>): string {
    const l = this.value(expr.left, vars);
    const r = this.value(expr.right, vars);
    const left = `${this.show(expr.left)} = ${this.text(l, expr.left.type)}${this.terms(expr.left, vars)}`;
    if (expr.right.kind === 'const') {
      if (want || expr.op === '!=') return left;
      return `${left}, not ${expr.op === '==' ? '' : `${expr.op} `}${this.show(expr.right)}`;
    }
    const right = `${this.show(expr.right)} = ${this.text(r, expr.right.type)}${this.terms(expr.right, vars)}`;
    return expr.left.kind === 'const' ? right : `${left}, ${right}`;
  }

  /** For a sum: the values of its terms, "(count(A, "x") = 1, at(op, "l") = 1)". */
  private terms(expr: Typed, vars: Map<string, string>): string {
    if (expr.kind !== 'binary' || (expr.op !== '+' && expr.op !== '-')) return '';
    const leaves: Typed[] = [];
    const walk = (e: Typed): void => {
      if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
        walk(e.left);
        walk(e.right);
      } else if (e.kind !== 'const') leaves.push(e);
    };
    walk(expr);
    return leaves.length ? ` (${leaves.map((e) => `${this.show(e)} = ${this.text(this.value(e, vars), e.type)}`).join(', ')})` : '';
  }

  private text(v: Value, type: Type): string {
    return type.kind === 'enum' ? JSON.stringify(String(v)) : String(v);
  }
}

/** The parts of a chain of one operator: `a && (b && c)` → [a, b, c]. */
function chain(expr: Typed, op: '&&' | '||'): Typed[] {
  return expr.kind === 'binary' && expr.op === op ? [...chain(expr.left, op), ...chain(expr.right, op)] : [expr];
}

function decode(value: number, type: Type, view: StateView): Value {
  switch (type.kind) {
    case 'bool':
      return value !== 0;
    case 'int':
      return value;
    case 'enum':
      return type.values[value] ?? `#${value}`;
    case 'ref':
      return view.instances[value]?.name ?? `#${value}`;
  }
}

/** The expression written back in the model's syntax. */
export function show(expr: Typed, statesOf: (resource: string) => readonly string[] = () => []): string {
  const inner = (e: Typed) => (compound(e) ? `(${show(e, statesOf)})` : show(e, statesOf));
  /** Parenthesizes an operand that is itself an operation, unless it is the same associative one. */
  const operand = (e: Typed, op: string) => (compound(e) && !(e.kind === 'binary' && e.op === op && (op === '&&' || op === '||' || op === '+')) ? `(${show(e, statesOf)})` : show(e, statesOf));
  switch (expr.kind) {
    case 'const':
      return expr.type.kind === 'bool' ? String(expr.value !== 0) : expr.type.kind === 'enum' ? JSON.stringify(expr.type.values[expr.value] ?? '') : String(expr.value);
    case 'local':
    case 'param':
    case 'instance':
    case 'qvar':
      return expr.name;
    case 'field':
      return `${inner(expr.object)}.${expr.field}`;
    case 'not':
      return `!${inner(expr.arg)}`;
    case 'neg':
      return `-${inner(expr.arg)}`;
    case 'binary':
      return `${operand(expr.left, expr.op)} ${expr.op} ${operand(expr.right, expr.op)}`;
    case 'in':
      return `${operand(expr.value, 'in')} in [${expr.items.map((i) => show(i, statesOf)).join(', ')}]`;
    case 'quant':
      return `${expr.quantifier}(${expr.variable}: ${expr.resource}, ${show(expr.body, statesOf)})`;
    case 'count':
      return `count(${expr.resource}, ${JSON.stringify(statesOf(expr.resource)[expr.state] ?? `#${expr.state}`)})`;
    case 'at':
      return `at(${expr.operation}, ${JSON.stringify(expr.label)})`;
    case 'holds':
      return `holds(${expr.lock}${expr.on ? `, ${show(expr.on, statesOf)}` : ''})`;
    case 'token':
      return `token(${lockName(expr.lock)}${expr.on ? `, ${show(expr.on, statesOf)}` : ''})`;
    case 'fence':
      return `fence(${expr.on ? `${show(expr.on, statesOf)}, ` : ''}${lockName(expr.lock)})`;
  }
}

/** A lock name as an expression writes it: quoted unless it is an identifier (`"share-lease"`). */
const lockName = (lock: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(lock) ? lock : JSON.stringify(lock));

const compound = (e: Typed) => e.kind === 'binary' || e.kind === 'in';
