/**
 * Validation in two passes: structure (zod), then meaning — unique names,
 * cross-references, and every expression parsed and type-checked. The second
 * pass also produces the `AnalyzedModel` the checker compiles.
 */
import { lastStepBudget, modelSchema, type ModelDocument, type Operation, type Scenario, type Step } from './schema';
import { formatPath, type IssueCode, type ModelIssue, type Validated } from './issues';
import { buildCatalog, lockPolicy, type Catalog } from './catalog';
import type { AnalyzedInvariant, AnalyzedModel, AnalyzedOperation, AnalyzedScenario, AnalyzedStep, LValue, LockUse } from './analyzed';
import { ExprError } from './expr/ast';
import { parseExpr } from './expr/parse';
import { chain, didYouMean, withSuggestionBudget } from './expr/suggest';
import { stepText } from './pseudocode';
import { encodeLiteral, indexOf, typecheck, typecheckAs, type Binding, type Scope } from './expr/typecheck';
import { BOOL, typeName, type Type, type Typed } from './expr/types';
import { intRange, type IntBounds, type Range } from './expr/int-range';
import { nestingIssues } from './nesting';
import { unreachable } from './walk';
import { analyzeUpdate } from './validate-update';
import { INT32_MAX, INT32_MIN, INT32_RANGE_TEXT, MAX_ISSUES_FOUND, MAX_ISSUES_LISTED } from './limits';

/** Validates an unknown value as a model document. Never throws. */
export function validateModel(input: unknown): Validated<ModelDocument> {
  const analyzed = analyzeModel(input);
  return analyzed.ok ? { ok: true, value: analyzed.value.document } : analyzed;
}

/** Parses JSON text and validates it; a syntax error is reported as an issue, not thrown. */
export function parseModelJson(text: string): Validated<ModelDocument> {
  const analyzed = analyzeModelJson(text);
  return analyzed.ok ? { ok: true, value: analyzed.value.document } : analyzed;
}

export function analyzeModelJson(text: string): Validated<AnalyzedModel> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}`, code: 'LS100' }] };
  }
  return analyzeModel(value);
}

export function analyzeModel(input: unknown): Validated<AnalyzedModel> {
  try {
    return withSuggestionBudget(() => analyzeUnbounded(input));
  } catch (error) {
    // A validator bug must never take the caller down; report it as an issue.
    // The JavaScript message ("Cannot read properties of undefined…") means nothing to the user and is not echoed.
    return { ok: false, issues: [{ path: '', message: 'internal validation error: this document found a bug in Lockstep; please report it', code: 'LS999' }] };
  }
}

function analyzeUnbounded(input: unknown): Validated<AnalyzedModel> {
  const tooDeep = nestingIssues(input);
  if (tooDeep.length > 0) return { ok: false, issues: capped(tooDeep, tooDeep.length, false) };
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) {
    const all = parsed.error.issues;
    const listed = all.slice(0, MAX_ISSUES_LISTED).map((issue) => ({ path: formatPath(issue.path), message: issue.message, code: 'LS101' as const }));
    // The schema stops looking at steps after MAX_SCHEMA_STEP_ISSUES issues: the count is then a lower bound.
    return { ok: false, issues: capped(listed, all.length, lastStepBudget().stopped) };
  }
  return new Analyzer(parsed.data).run();
}

/** The first MAX_ISSUES_LISTED issues, then one "…and N more" (N a lower bound when validation stopped early). */
function capped(listed: ModelIssue[], found: number, stopped: boolean): ModelIssue[] {
  if (found <= MAX_ISSUES_LISTED) return listed;
  const more = found - MAX_ISSUES_LISTED;
  const message = stopped
    ? `…and at least ${more} more issues (validation stopped after ${found})`
    : `…and ${more} more issue${more === 1 ? '' : 's'}`;
  return [...listed.slice(0, MAX_ISSUES_LISTED), { path: '', message, code: 'LS199' }];
}

/** Thrown once MAX_ISSUES_FOUND issues are found: the rest of the document is not examined. */
class TooManyIssues extends Error {}

class Analyzer {
  private readonly issues: ModelIssue[] = [];
  private found = 0;
  /** Whether an issue makes names unsafe to resolve expressions against (see NAME_BLOCKERS). */
  private blocked = false;
  private readonly catalog: Catalog;
  private readonly operationsByName = new Map<string, Operation>();
  private readonly bounds: IntBounds;

  constructor(private readonly doc: ModelDocument) {
    this.catalog = buildCatalog(doc);
    for (const op of doc.operations) if (!this.operationsByName.has(op.name)) this.operationsByName.set(op.name, op);
    this.bounds = intBounds(doc);
  }

  run(): Validated<AnalyzedModel> {
    try {
      const result = this.analyze();
      return result.ok ? result : { ok: false, issues: capped(this.issues, this.found, false) };
    } catch (error) {
      if (!(error instanceof TooManyIssues)) throw error;
      return { ok: false, issues: capped(this.issues, this.found, true) };
    }
  }

  private analyze(): Validated<AnalyzedModel> {
    this.checkResources();
    this.checkLocks();
    // Expressions can be checked unless a name they resolve through is ambiguous or missing
    // (a duplicate name, a reference or lock key to an unknown resource); other problems
    // (say, a misspelt initial state) are reported together with the expressions' own.
    if (this.blocked) return { ok: false, issues: this.issues };
    const operations = new Map<string, AnalyzedOperation>();
    this.unique(this.doc.operations, 'operations', 'operation');
    this.doc.operations.forEach((op, index) => operations.set(op.name, this.operation(op, index)));
    this.unique(this.doc.invariants, 'invariants', 'invariant');
    const invariants = this.doc.invariants.map((inv, i) => this.invariant(inv, `invariants[${i}]`, new Map()));
    this.unique(this.doc.scenarios, 'scenarios', 'scenario');
    const scenarios = this.doc.scenarios.map((scenario, index) => this.scenario(scenario, index));
    if (this.issues.length > 0) return { ok: false, issues: this.issues };
    return {
      ok: true,
      value: {
        document: this.doc,
        catalog: this.catalog,
        operations,
        invariants: invariants.filter((i): i is AnalyzedInvariant => i !== null),
        scenarios,
      },
    };
  }

  private invariantNameSet: Set<string> | null = null;
  private invariantNames(): Set<string> {
    return (this.invariantNameSet ??= new Set(this.doc.invariants.map((v) => v.name)));
  }

  private issue(path: string, message: string, code: IssueCode, column?: number): void {
    this.found++;
    if (NAME_BLOCKERS.has(code)) this.blocked = true;
    if (this.issues.length < MAX_ISSUES_LISTED) this.issues.push(column === undefined ? { path, message, code } : { path, message, code, column });
    if (this.found >= MAX_ISSUES_FOUND) throw new TooManyIssues();
  }

  private unique(items: Array<{ name?: string }>, path: string, what: string): void {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (item.name === undefined) return;
      if (seen.has(item.name)) this.issue(`${path}[${i}].name`, `duplicate ${what} name '${item.name}'`, 'LS201');
      seen.add(item.name);
    });
  }

  private checkResources(): void {
    this.unique(this.doc.resources, 'resources', 'resource');
    this.doc.resources.forEach((resource, r) => {
      const base = `resources[${r}]`;
      this.unique(resource.states, `${base}.states`, 'state');
      const states = resource.states.map((s) => s.name);
      const known = new Set(states);
      const stateRef = (name: string, path: string) => {
        if (!known.has(name)) {
          this.issue(path, `unknown state '${name}' of ${resource.name}${didYouMean(name, states)}`, 'LS202');
        }
      };
      stateRef(resource.initial, `${base}.initial`);
      resource.transitions.forEach((t, i) => {
        stateRef(t.from, `${base}.transitions[${i}].from`);
        stateRef(t.to, `${base}.transitions[${i}].to`);
      });
      const fields = resource.fields ?? [];
      this.unique(fields, `${base}.fields`, 'field');
      fields.forEach((field, i) => {
        if (field.name === 'state') this.issue(`${base}.fields[${i}].name`, "'state' is built in; pick another field name", 'LS203');
        if (field.heartbeat && field.type.kind !== 'bool') {
          this.issue(`${base}.fields[${i}].heartbeat`, `${resource.name}.${field.name}: only a bool field can be a heartbeat (it is ${field.type.kind})`, 'LS241');
        }
        if (field.type.kind === 'ref' && !this.catalog.resources.has(field.type.resource)) {
          this.issue(
            `${base}.fields[${i}].type.resource`,
            `unknown resource type '${field.type.resource}'${didYouMean(field.type.resource, this.catalog.resources.keys())}`,
            'LS204',
          );
        }
        if (field.initial !== undefined && field.type.kind !== 'ref') {
          this.literal(field.initial, this.catalog.resources.get(resource.name)!.fields.get(field.name)!, `${base}.fields[${i}].initial`);
        }
      });
    });
  }

  private literal(value: string | number | boolean, type: Type, path: string, prefix = ''): number | null {
    try {
      return encodeLiteral(value, type);
    } catch (error) {
      this.issue(path, `${prefix}${(error as Error).message}`, 'LS205');
      return null;
    }
  }

  private checkLocks(): void {
    this.unique(this.doc.locks, 'locks', 'lock');
    this.doc.locks.forEach((lock, i) => {
      if (lock.key && !this.catalog.resources.has(lock.key)) {
        this.issue(`locks[${i}].key`, `unknown resource type '${lock.key}'${didYouMean(lock.key, this.catalog.resources.keys())}`, 'LS206');
      }
    });
  }

  // ---- operations ----------------------------------------------------------

  private operation(op: Operation, index: number): AnalyzedOperation {
    const base = `operations[${index}]`;
    const scope = new Map<string, Binding>();
    op.params.forEach((param, i) => {
      if (!this.catalog.resources.has(param.type)) {
        this.issue(`${base}.params[${i}].type`, `unknown resource type '${param.type}'${didYouMean(param.type, this.catalog.resources.keys())}`, 'LS207');
      } else if (scope.has(param.name)) {
        this.issue(`${base}.params[${i}].name`, `duplicate parameter '${param.name}'`, 'LS201');
      }
      scope.set(param.name, { kind: 'param', resource: param.type });
    });
    const labels = new Set<string>();
    const locals = new Map<string, Type>();
    const context = { op, base, scope, labels, locals, localRanges: new Map<string, Range>(), inAtomic: false };
    const steps = this.steps(op.steps, `${base}.steps`, '', context);
    return { name: op.name, index, params: op.params, locals, steps };
  }

  private steps(steps: Step[], path: string, where: string, ctx: StepContext): AnalyzedStep[] {
    return steps.flatMap((step, i) => {
      const analyzed = this.step(step, `${path}[${i}]`, `${where}${where ? ' › ' : ''}step ${i + 1} (${step.kind})`, ctx);
      return analyzed ? [analyzed] : [];
    });
  }

  private step(step: Step, path: string, where: string, ctx: StepContext): AnalyzedStep | null {
    const prefix = `${ctx.op.name} › ${where}`;
    const site: Site = { path, where, prefix, ctx };
    if (step.label !== undefined) {
      if (ctx.labels.has(step.label)) this.issue(`${path}.label`, `${prefix}: duplicate label '${step.label}' in ${ctx.op.name}`, 'LS211');
      ctx.labels.add(step.label);
    }
    if (ctx.inAtomic && !ATOMIC_KINDS.has(step.kind)) {
      this.issue(`${path}.kind`, `${prefix}: '${step.kind}' cannot run inside atomic (only ${[...ATOMIC_KINDS].join(', ')})`, 'LS212');
      return null;
    }
    // Built without a nested spread: every step is later spread from it, and a stable shape keeps that fast.
    const base: StepBase = { path, where, text: stepText(step) };
    if (step.label !== undefined) base.label = step.label;

    switch (step.kind) {
      case 'read': {
        const typed = this.expr(site, 'expr', step.expr);
        if (!typed) return null;
        const existing = ctx.scope.get(step.local);
        if (existing && existing.kind !== 'local') {
          this.issue(`${path}.local`, `${prefix}: '${step.local}' is a parameter; read into another name`, 'LS213');
          return null;
        }
        const known = ctx.locals.get(step.local);
        if (known && typeName(known) !== typeName(typed.type)) {
          this.issue(`${path}.local`, `${prefix}: local '${step.local}' was ${typeName(known)} and is now ${typeName(typed.type)}`, 'LS214');
        }
        if (typed.type.kind === 'int') {
          // The checker stores a local in 32 bits: a value that may not fit would be silently wrapped.
          const range = intRange(typed, this.bounds, ctx.localRanges);
          const beyond = range[1] > INT32_MAX ? range[1] : range[0] < INT32_MIN ? range[0] : null;
          if (beyond !== null) this.issue(`${path}.expr`, `${prefix} › expr: the value may reach ${beyond}, outside ${INT32_RANGE_TEXT}`, 'LS216');
          const before = ctx.localRanges.get(step.local);
          ctx.localRanges.set(step.local, before ? [Math.min(before[0], range[0]), Math.max(before[1], range[1])] : range);
        }
        // Bound even when refused, so that later uses of the local are not reported as unknown too.
        ctx.locals.set(step.local, typed.type);
        ctx.scope.set(step.local, { kind: 'local', type: typed.type });
        return stepOf(base, { kind: 'read', local: step.local, expr: typed });
      }
      case 'if': {
        const c = this.cond(site, 'cond', step.cond);
        const then = this.nested(site, step.then, 'then');
        const otherwise = this.nested(site, step.else, 'else');
        return c ? stepOf(base, { kind: 'if', cond: c, then, else: otherwise }) : null;
      }
      case 'await': {
        const c = this.cond(site, 'cond', step.cond);
        return c ? stepOf(base, { kind: 'await', cond: c }) : null;
      }
      case 'require': {
        const c = this.cond(site, 'cond', step.cond);
        return c ? stepOf(base, { kind: 'require', cond: c, message: step.message ?? `requirement ${step.cond} failed` }) : null;
      }
      case 'assert': {
        const c = this.cond(site, 'cond', step.cond);
        return c ? stepOf(base, { kind: 'assert', cond: c, message: step.message }) : null;
      }
      case 'write': {
        const target = this.lvalue(site, 'target', step.target);
        const value = target ? this.expr(site, 'value', step.value, target.type) : null;
        const fencedBy = step.fencedBy ? this.lockUse(site, step.fencedBy.lock, step.fencedBy.on, true) : null;
        if (ctx.inAtomic && step.onFail) this.issue(`${path}.onFail`, `${prefix}: onFail is not allowed inside atomic (a rejected write rolls it back)`, 'LS217');
        const onFail = step.onFail ? this.nested(site, step.onFail, 'onFail') : null;
        if (!target || !value || (step.fencedBy && !fencedBy)) return null;
        return stepOf(base, { kind: 'write', target, value, fencedBy, onFail });
      }
      case 'cas': {
        const target = this.lvalue(site, 'target', step.target);
        if (!target) return null;
        if (ctx.inAtomic && step.else === 'retry') {
          this.issue(`${path}.else`, `${prefix}: 'retry' cannot be used inside atomic; use abort or skip`, 'LS218');
        }
        const from = step.from.map((v, i) => this.literal(v, target.type, `${path}.from[${i}]`, `${prefix} › from: `));
        const to = this.literal(step.to, target.type, `${path}.to`, `${prefix} › to: `);
        if (to === null || from.some((v) => v === null)) return null;
        return stepOf(base, {
          kind: 'cas',
          target,
          from: from as number[],
          to,
          else: step.else,
          message: step.message ?? `${step.target} was not ${step.from.join(' or ')}`,
        });
      }
      case 'update': {
        const analyzed = analyzeUpdate(step, {
          catalog: this.catalog,
          opName: ctx.op.name,
          path,
          prefix,
          inAtomic: ctx.inAtomic,
          scope: ctx.scope,
          locals: ctx.locals,
          issue: (at, message, code) => this.issue(at, message, code),
          expr: (field, source, expected) => this.expr(site, field, source, expected),
          fail: (field, error) => this.fail(site, field, error),
          nested: (steps, key) => this.nested(site, steps, key),
        });
        return analyzed ? stepOf(base, analyzed) : null;
      }
      case 'atomic':
        return stepOf(base, { kind: 'atomic', steps: this.nested(site, step.steps, 'steps', true) });
      case 'acquire': {
        const use = this.lockUse(site, step.lock, step.on);
        if (step.timeout !== undefined && step.try) {
          this.issue(`${path}.timeout`, `${prefix}: 'timeout' and 'try' together: a try-acquire never waits; drop one`, 'LS240');
        }
        if (step.else && !step.try && step.timeout === undefined) {
          this.issue(`${path}.else`, `${prefix}: 'else' only applies to a try-acquire or one with a timeout (set try: true or timeout)`, 'LS215');
        }
        this.noteLoopLock(site, step.lock);
        const otherwise = this.nested(site, step.else, 'else');
        const timeout = step.timeout ?? null;
        return use ? stepOf(base, { kind: 'acquire', ...use, shared: step.shared ?? false, try: step.try ?? false, timeout, else: otherwise }) : null;
      }
      case 'release': {
        const use = this.lockUse(site, step.lock, step.on);
        return use ? stepOf(base, { kind: 'release', ...use }) : null;
      }
      case 'with': {
        const use = this.lockUse(site, step.lock, step.on);
        this.noteLoopLock(site, step.lock);
        const body = this.nested(site, step.steps, 'steps');
        return use ? stepOf(base, { kind: 'with', ...use, shared: step.shared ?? false, steps: body }) : null;
      }
      case 'repeat': {
        // The body first: `until` is evaluated after it and may read the locals it reads.
        const body = this.steps(step.steps, `${path}.steps`, where, { ...ctx, inRepeat: true });
        const until = step.until !== undefined ? this.cond(site, 'until', step.until) : null;
        if (step.until !== undefined && !until) return null;
        return stepOf(base, { kind: 'repeat', steps: body, until });
      }
      case 'call': {
        if (step.onFail && !step.mayFail) this.issue(`${path}.onFail`, `${prefix}: onFail needs mayFail: true`, 'LS215');
        const onFail = step.onFail ? this.nested(site, step.onFail, 'onFail') : null;
        return stepOf(base, { kind: 'call', name: step.name, long: step.long ?? false, mayFail: step.mayFail ?? false, onFail });
      }
      case 'abort':
        return stepOf(base, { kind: 'abort', message: step.message });
      case 'return':
        return stepOf(base, { kind: 'return' });
      default:
        return unreachable(step, 'step kind');
    }
  }

  // Helpers of `step`, as methods rather than per-step closures: a document may hold tens of thousands of steps.

  /** Locks acquired inside a repeat, with the first such step's path: each round would take a new fencing token. */
  private readonly loopLocks = new Map<string, string>();

  private noteLoopLock(site: Site, lockName: string): void {
    if (!site.ctx.inRepeat) return;
    if (!this.loopLocks.has(lockName)) this.loopLocks.set(lockName, site.path);
    const lock = this.catalog.locks.get(lockName);
    if (lock?.fencing) {
      this.issue(
        `${site.path}.lock`,
        `${site.prefix}: lock '${lockName}' hands out fencing tokens and is acquired inside a repeat: every round takes a new token, so the states never repeat; set fencing: false on the lock, or fence with a version counter (an update step)`,
        'LS242',
      );
    }
  }

  private fail(site: Site, field: string, error: unknown): void {
    // Anything but an ExprError is a validator bug: it must not pass for a message about the user's expression.
    if (!(error instanceof ExprError)) throw error;
    this.issue(`${site.path}.${field}`, `${site.prefix} › ${field} col ${error.col}: ${error.message}`, 'LS301', error.col);
  }

  private expr(site: Site, field: string, source: string, expected?: Type): Typed | null {
    try {
      const parsed = parseExpr(source);
      return expected ? typecheckAs(parsed, expected, site.ctx.scope, this.catalog) : typecheck(parsed, site.ctx.scope, this.catalog);
    } catch (error) {
      this.fail(site, field, error);
      return null;
    }
  }

  private cond(site: Site, field: string, source: string): Typed | null {
    return this.expr(site, field, source, BOOL);
  }

  private lvalue(site: Site, field: string, source: string): LValue | null {
    const typed = this.expr(site, field, source);
    if (!typed) return null;
    if (typed.kind !== 'field') {
      this.fail(site, field, new ExprError('the target must be a field of an instance, as in share.state', 1));
      return null;
    }
    return { object: typed.object, resource: typed.resource, field: typed.field, type: typed.type };
  }

  private lockUse(site: Site, lockName: string, on: string | undefined, needFencing = false): LockUse | null {
    const { path, prefix } = site;
    const lock = this.catalog.locks.get(lockName);
    if (!lock) {
      this.issue(`${path}.lock`, `${prefix}: unknown lock '${lockName}'${didYouMean(lockName, this.catalog.locks.keys())}`, 'LS208');
      return null;
    }
    if (needFencing && !lock.fencing) {
      this.issue(`${path}.fencedBy.lock`, `${prefix}: lock '${lockName}' does not issue fencing tokens (set fencing: true)`, 'LS209');
    }
    if (!lock.key) {
      if (on !== undefined) this.issue(`${path}.on`, `${prefix}: lock '${lockName}' is global; remove 'on'`, 'LS210');
      return { lock: lockName, on: null };
    }
    if (on === undefined) {
      this.issue(`${path}.on`, `${prefix}: lock '${lockName}' is keyed by ${lock.key}; say which instance with 'on'`, 'LS210');
      return null;
    }
    const typed = this.expr(site, 'on', on, { kind: 'ref', resource: lock.key });
    return typed ? { lock: lockName, on: typed } : null;
  }

  private nested(site: Site, steps: Step[] | undefined, key: string, inAtomic = site.ctx.inAtomic): AnalyzedStep[] {
    return this.steps(steps ?? [], `${site.path}.${key}`, site.where, { ...site.ctx, inAtomic });
  }

  // ---- invariants and scenarios ------------------------------------------

  private invariant(inv: { name: string; expr: string }, path: string, scope: Scope): AnalyzedInvariant | null {
    try {
      const expr = typecheckAs(parseExpr(inv.expr), BOOL, scope, this.catalog, { inProcess: false });
      return { name: inv.name, expr, source: inv.expr, path };
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      this.issue(`${path}.expr`, `invariant ${inv.name} › col ${error.col}: ${error.message}`, 'LS302', error.col);
      return null;
    }
  }

  private scenario(scenario: Scenario, index: number): AnalyzedScenario {
    const base = `scenarios[${index}]`;
    const at = (path: string, message: string, code: IssueCode = 'LS220') => this.issue(`${base}.${path}`, `scenario ${scenario.name}: ${message}`, code);
    // Nodes and their OS processes.
    const nodes = new Map<string, Set<string>>();
    (scenario.nodes ?? []).forEach((node, i) => {
      if (nodes.has(node.name)) at(`nodes[${i}].name`, `duplicate node '${node.name}'`);
      nodes.set(node.name, new Set(node.osProcesses ?? []));
    });
    for (const lockName of Object.keys(scenario.locks ?? {})) {
      if (!this.catalog.locks.has(lockName)) at(`locks.${lockName}`, `unknown lock '${lockName}'${didYouMean(lockName, this.catalog.locks.keys())}`);
      else if (this.loopLocks.has(lockName) && !this.catalog.locks.get(lockName)!.fencing) {
        const lock = this.doc.locks.find((l) => l.name === lockName)!;
        if (lockPolicy(lock, scenario.locks![lockName]).fencing) {
          at(`locks.${lockName}`, `lock '${lockName}' hands out fencing tokens here and is acquired inside a repeat (${this.loopLocks.get(lockName)}): every round takes a new token, so the states never repeat`, 'LS242');
        }
      }
    }
    // Instances.
    const instances = new Map<string, string>();
    scenario.instances.forEach((instance, i) => {
      const resource = this.catalog.resources.get(instance.type);
      if (instances.has(instance.name)) at(`instances[${i}].name`, `duplicate instance '${instance.name}'`);
      instances.set(instance.name, instance.type);
      if (!resource) {
        at(`instances[${i}].type`, `unknown resource type '${instance.type}'${didYouMean(instance.type, this.catalog.resources.keys())}`);
        return;
      }
      if (instance.state !== undefined && indexOf(resource.states, instance.state) < 0) {
        at(`instances[${i}].state`, `unknown state '${instance.state}' of ${resource.name}${didYouMean(instance.state, resource.states)}`);
      }
    });
    const instancesPerType = new Map<string, number>();
    for (const type of instances.values()) instancesPerType.set(type, (instancesPerType.get(type) ?? 0) + 1);
    scenario.instances.forEach((instance, i) => {
      const resource = this.catalog.resources.get(instance.type);
      if (!resource) return;
      for (const [field, value] of Object.entries(instance.fields ?? {})) {
        const type = resource.fields.get(field);
        if (!type || field === 'state') {
          at(`instances[${i}].fields.${field}`, `${resource.name} has no field '${field}'${didYouMean(field, fieldNames(resource.fields))}`);
        } else if (type.kind === 'ref') {
          if (instances.get(String(value)) !== type.resource) {
            at(`instances[${i}].fields.${field}`, `'${String(value)}' is not an instance of ${type.resource} in this scenario`);
          }
        } else {
          this.literal(value, type, `${base}.instances[${i}].fields.${field}`);
        }
      }
      // A reference field left out defaults to the only instance of its type: only types without exactly one need a look.
      for (const [target, fields] of refFieldsByTarget(resource)) {
        const candidates = instancesPerType.get(target) ?? 0;
        if (candidates === 1) continue;
        for (const field of fields) {
          if (instance.fields && Object.hasOwn(instance.fields, field)) continue;
          at(`instances[${i}].fields`, `${instance.name}.${field} must name a ${target} instance (there are ${candidates} to choose from)`);
        }
      }
    });
    // Processes and recovery processes.
    const processNames = new Set<string>();
    const placed = (
      list: Array<{ name?: string; operation: string; args: Record<string, string>; node?: string; osProcess?: string }>,
      key: string,
    ) =>
      list.forEach((proc, i) => {
        const path = `${key}[${i}]`;
        const name = proc.name ?? proc.operation;
        if (processNames.has(name)) at(`${path}.name`, `two processes are called '${name}'; give each a distinct name`);
        processNames.add(name);
        const op = this.operationsByName.get(proc.operation);
        if (!op) {
          at(`${path}.operation`, `unknown operation '${proc.operation}'${didYouMean(proc.operation, this.operationsByName.keys())}`);
          return;
        }
        const params = paramNames(op);
        for (const param of op.params) {
          // Own keys only: a parameter called 'toString' or 'constructor' is not given by Object.prototype.
          const arg = Object.hasOwn(proc.args, param.name) ? proc.args[param.name] : undefined;
          if (arg === undefined) at(`${path}.args`, `missing argument '${param.name}' (${param.type}) for ${op.name}`);
          else if (!instances.has(arg)) at(`${path}.args.${param.name}`, `unknown instance '${arg}'${didYouMean(arg, instances.keys())}`);
          else if (instances.get(arg) !== param.type) at(`${path}.args.${param.name}`, `'${arg}' is a ${instances.get(arg)}, but ${op.name}.${param.name} takes a ${param.type}`);
        }
        for (const arg of Object.keys(proc.args)) {
          if (!params.has(arg)) at(`${path}.args.${arg}`, `${op.name} has no parameter '${arg}'`);
        }
        if (proc.node !== undefined && nodes.size > 0 && !nodes.has(proc.node)) {
          at(`${path}.node`, `unknown node '${proc.node}'${didYouMean(proc.node, nodes.keys())}`);
        }
        if (proc.node === undefined && nodes.size > 1) at(`${path}.node`, `say which node this process runs on`);
        const osProcesses = nodes.get(proc.node ?? '');
        if (proc.osProcess !== undefined && osProcesses && osProcesses.size > 0 && !osProcesses.has(proc.osProcess)) {
          at(`${path}.osProcess`, `node '${proc.node}' has no OS process '${proc.osProcess}'${didYouMean(proc.osProcess, osProcesses)}`);
        }
      });
    placed(scenario.processes, 'processes');
    const regularNames = new Set(scenario.processes.map((p) => p.name ?? p.operation));
    placed(scenario.recovery ?? [], 'recovery');
    (scenario.recovery ?? []).forEach((rec, i) => {
      if (!regularNames.has(rec.after)) at(`recovery[${i}].after`, `no process called '${rec.after}'${didYouMean(rec.after, regularNames)}`);
    });
    if (scenario.expect?.verdict === 'violation' && scenario.expect.name && scenario.expect.kind === 'invariant') {
      const wanted = scenario.expect.name;
      const own = (scenario.invariants ?? []).map((v) => v.name);
      if (!this.invariantNames().has(wanted) && !own.includes(wanted)) {
        at('expect.name', `no invariant called '${wanted}'${didYouMean(wanted, chain(this.invariantNames(), own))}`);
      }
    }
    const scope = new Map<string, Binding>([...instances].map(([name, resource]) => [name, { kind: 'instance', resource }]));
    this.unique(scenario.invariants ?? [], `${base}.invariants`, 'invariant');
    const invariants = (scenario.invariants ?? [])
      .map((inv, i) => this.invariant(inv, `${base}.invariants[${i}]`, scope))
      .filter((i): i is AnalyzedInvariant => i !== null);
    return { source: scenario, index, invariants };
  }
}

interface StepBase {
  path: string;
  where: string;
  text: string;
  label?: string;
}

/** `{ ...base, ...rest }` without spreading `base`: V8 runs that spread slowly, and a document may hold tens of thousands of steps. */
function stepOf<const T extends object>(base: StepBase, rest: T): StepBase & T {
  const out = rest as StepBase & T;
  out.path = base.path;
  out.where = base.where;
  out.text = base.text;
  if (base.label !== undefined) out.label = base.label;
  return out;
}

/** Where a step sits: its path, its "op › step 2 (if) › …" prefix for messages, and its context. */
interface Site {
  path: string;
  where: string;
  prefix: string;
  ctx: StepContext;
}

interface StepContext {
  op: Operation;
  base: string;
  scope: Map<string, Binding>;
  labels: Set<string>;
  locals: Map<string, Type>;
  /** Every value each int local may hold so far (the union over its reads, in document order). */
  localRanges: Map<string, Range>;
  inAtomic: boolean;
  /** Inside the body of a `repeat` (at any depth). */
  inRepeat?: boolean;
}

/** Field names a scenario may set (every field but the built-in state), read lazily. */
function* fieldNames(fields: Map<string, Type>): Iterable<string> {
  for (const name of fields.keys()) if (name !== 'state') yield name;
}

const paramSets = new WeakMap<Operation, Set<string>>();
function paramNames(op: Operation): Set<string> {
  let names = paramSets.get(op);
  if (!names) paramSets.set(op, (names = new Set(op.params.map((p) => p.name))));
  return names;
}

const refFieldGroups = new WeakMap<object, Map<string, string[]>>();
/** A resource's reference fields grouped by the type they point to. */
function refFieldsByTarget(resource: { fields: Map<string, Type> }): Map<string, string[]> {
  let groups = refFieldGroups.get(resource);
  if (!groups) {
    groups = new Map();
    for (const [field, type] of resource.fields) {
      if (type.kind !== 'ref') continue;
      const list = groups.get(type.resource);
      if (list) list.push(field);
      else groups.set(type.resource, [field]);
    }
    refFieldGroups.set(resource, groups);
  }
  return groups;
}

/** Upper bounds of count(…) and at(…): no scenario of the document has more instances or processes. */
function intBounds(doc: ModelDocument): IntBounds {
  let instances = 0;
  let processes = 0;
  for (const scenario of doc.scenarios) {
    instances = Math.max(instances, scenario.instances.length);
    const all = [...scenario.processes, ...(scenario.recovery ?? [])];
    processes = Math.max(processes, all.reduce((sum, p) => sum + ('count' in p && p.count ? p.count : 1), 0));
  }
  return { instances, processes };
}

/** Issues that make the catalog unsafe to resolve expressions against. */
const NAME_BLOCKERS = new Set<IssueCode>(['LS201', 'LS204', 'LS206']);

const ATOMIC_KINDS = new Set<Step['kind']>(['read', 'if', 'require', 'write', 'cas', 'update', 'assert', 'abort', 'return']);
