/**
 * Validation in two passes: structure (zod), then meaning — unique names,
 * cross-references, and every expression parsed and type-checked. The second
 * pass also produces the `AnalyzedModel` the checker compiles.
 */
import { modelSchema, type ModelDocument, type Operation, type Scenario, type Step } from './schema';
import { formatPath, type ModelIssue, type Validated } from './issues';
import { buildCatalog, type Catalog } from './catalog';
import type { AnalyzedInvariant, AnalyzedModel, AnalyzedOperation, AnalyzedScenario, AnalyzedStep, LValue, LockUse } from './analyzed';
import { ExprError } from './expr/ast';
import { parseExpr } from './expr/parse';
import { didYouMean } from './expr/suggest';
import { stepText } from './pseudocode';
import { encodeLiteral, typecheck, typecheckAs, type Binding, type Scope } from './expr/typecheck';
import { BOOL, typeName, type Type, type Typed } from './expr/types';

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
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message, code: 'LS101' })),
    };
  }
  try {
    return new Analyzer(parsed.data).run();
  } catch (error) {
    // A validator bug must never take the caller down; report it as an issue.
    return { ok: false, issues: [{ path: '', message: `internal validation error: ${(error as Error).message}`, code: 'LS999' }] };
  }
}

class Analyzer {
  private readonly issues: ModelIssue[] = [];
  private readonly catalog: Catalog;

  constructor(private readonly doc: ModelDocument) {
    this.catalog = buildCatalog(doc);
  }

  run(): Validated<AnalyzedModel> {
    this.checkResources();
    this.checkLocks();
    // Expressions can be checked unless a name they resolve through is ambiguous or missing
    // (a duplicate name, a reference or lock key to an unknown resource); other problems
    // (say, a misspelt initial state) are reported together with the expressions' own.
    if (this.issues.some((issue) => NAME_BLOCKERS.has(issue.code))) return { ok: false, issues: this.issues };
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

  private issue(path: string, message: string, code: string, column?: number): void {
    this.issues.push(column === undefined ? { path, message, code } : { path, message, code, column });
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
      const stateRef = (name: string, path: string) => {
        if (!states.includes(name)) {
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
      scope.set(param.name, { k: 'param', resource: param.type });
    });
    const labels = new Set<string>();
    const locals = new Map<string, Type>();
    const context = { op, base, scope, labels, locals, inAtomic: false };
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
    const fail = (field: string, error: unknown) => {
      if (error instanceof ExprError) {
        this.issue(`${path}.${field}`, `${prefix} › ${field} col ${error.col}: ${error.message}`, 'LS301', error.col);
      } else {
        this.issue(`${path}.${field}`, `${prefix} › ${field}: ${(error as Error).message}`, 'LS301');
      }
    };
    const expr = (field: string, source: string, expected?: Type): Typed | null => {
      try {
        const parsed = parseExpr(source);
        return expected ? typecheckAs(parsed, expected, ctx.scope, this.catalog) : typecheck(parsed, ctx.scope, this.catalog);
      } catch (error) {
        fail(field, error);
        return null;
      }
    };
    const cond = (field: string, source: string) => expr(field, source, BOOL);
    const lvalue = (field: string, source: string): LValue | null => {
      const typed = expr(field, source);
      if (!typed) return null;
      if (typed.k !== 'field') {
        fail(field, new ExprError('the target must be a field of an instance, as in share.state', 1));
        return null;
      }
      return { object: typed.object, resource: typed.resource, field: typed.field, type: typed.type };
    };
    const lockUse = (lockName: string, on: string | undefined, needFencing = false): LockUse | null => {
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
      const typed = expr('on', on, { kind: 'ref', resource: lock.key });
      return typed ? { lock: lockName, on: typed } : null;
    };
    if (step.label !== undefined) {
      if (ctx.labels.has(step.label)) this.issue(`${path}.label`, `${prefix}: duplicate label '${step.label}' in ${ctx.op.name}`, 'LS211');
      ctx.labels.add(step.label);
    }
    if (ctx.inAtomic && !ATOMIC_KINDS.has(step.kind)) {
      this.issue(`${path}.kind`, `${prefix}: '${step.kind}' cannot run inside atomic (only ${[...ATOMIC_KINDS].join(', ')})`, 'LS212');
      return null;
    }
    const base = { path, where, text: stepText(step), ...(step.label !== undefined ? { label: step.label } : {}) };
    const nested = (steps: Step[] | undefined, key: string, inAtomic = ctx.inAtomic) =>
      this.steps(steps ?? [], `${path}.${key}`, where, { ...ctx, inAtomic });

    switch (step.kind) {
      case 'read': {
        const typed = expr('expr', step.expr);
        if (!typed) return null;
        const existing = ctx.scope.get(step.local);
        if (existing && existing.k !== 'local') {
          this.issue(`${path}.local`, `${prefix}: '${step.local}' is a parameter; read into another name`, 'LS213');
          return null;
        }
        const known = ctx.locals.get(step.local);
        if (known && typeName(known) !== typeName(typed.type)) {
          this.issue(`${path}.local`, `${prefix}: local '${step.local}' was ${typeName(known)} and is now ${typeName(typed.type)}`, 'LS214');
        }
        ctx.locals.set(step.local, typed.type);
        ctx.scope.set(step.local, { k: 'local', type: typed.type });
        return { ...base, kind: 'read', local: step.local, expr: typed };
      }
      case 'if': {
        const c = cond('cond', step.cond);
        const then = nested(step.then, 'then');
        const otherwise = nested(step.else, 'else');
        return c ? { ...base, kind: 'if', cond: c, then, else: otherwise } : null;
      }
      case 'await': {
        const c = cond('cond', step.cond);
        return c ? { ...base, kind: 'await', cond: c } : null;
      }
      case 'require': {
        const c = cond('cond', step.cond);
        return c ? { ...base, kind: 'require', cond: c, message: step.message ?? `requirement ${step.cond} failed` } : null;
      }
      case 'assert': {
        const c = cond('cond', step.cond);
        return c ? { ...base, kind: 'assert', cond: c, message: step.message } : null;
      }
      case 'write': {
        const target = lvalue('target', step.target);
        const value = target ? expr('value', step.value, target.type) : null;
        const fencedBy = step.fencedBy ? lockUse(step.fencedBy.lock, step.fencedBy.on, true) : null;
        if (ctx.inAtomic && step.onFail) this.issue(`${path}.onFail`, `${prefix}: onFail is not allowed inside atomic (a rejected write rolls it back)`, 'LS212');
        const onFail = step.onFail ? nested(step.onFail, 'onFail') : null;
        if (!target || !value || (step.fencedBy && !fencedBy)) return null;
        return { ...base, kind: 'write', target, value, fencedBy, onFail };
      }
      case 'cas': {
        const target = lvalue('target', step.target);
        if (!target) return null;
        if (ctx.inAtomic && step.else === 'retry') {
          this.issue(`${path}.else`, `${prefix}: 'retry' cannot be used inside atomic; use abort or skip`, 'LS212');
        }
        const from = step.from.map((v, i) => this.literal(v, target.type, `${path}.from[${i}]`, `${prefix} › from: `));
        const to = this.literal(step.to, target.type, `${path}.to`, `${prefix} › to: `);
        if (to === null || from.some((v) => v === null)) return null;
        return {
          ...base,
          kind: 'cas',
          target,
          from: from as number[],
          to,
          else: step.else,
          message: step.message ?? `${step.target} was not ${step.from.join(' or ')}`,
        };
      }
      case 'atomic':
        return { ...base, kind: 'atomic', steps: nested(step.steps, 'steps', true) };
      case 'acquire': {
        const use = lockUse(step.lock, step.on);
        if (step.else && !step.try) this.issue(`${path}.else`, `${prefix}: 'else' only applies to a try-acquire (set try: true)`, 'LS215');
        const otherwise = nested(step.else, 'else');
        return use ? { ...base, kind: 'acquire', ...use, shared: step.shared ?? false, try: step.try ?? false, else: otherwise } : null;
      }
      case 'release': {
        const use = lockUse(step.lock, step.on);
        return use ? { ...base, kind: 'release', ...use } : null;
      }
      case 'with': {
        const use = lockUse(step.lock, step.on);
        const body = nested(step.steps, 'steps');
        return use ? { ...base, kind: 'with', ...use, shared: step.shared ?? false, steps: body } : null;
      }
      case 'call': {
        if (step.onFail && !step.mayFail) this.issue(`${path}.onFail`, `${prefix}: onFail needs mayFail: true`, 'LS215');
        const onFail = step.onFail ? nested(step.onFail, 'onFail') : null;
        return { ...base, kind: 'call', name: step.name, long: step.long ?? false, mayFail: step.mayFail ?? false, onFail };
      }
      case 'abort':
        return { ...base, kind: 'abort', message: step.message };
      case 'return':
        return { ...base, kind: 'return' };
    }
  }

  // ---- invariants and scenarios ------------------------------------------

  private invariant(inv: { name: string; expr: string }, path: string, scope: Scope): AnalyzedInvariant | null {
    try {
      const expr = typecheckAs(parseExpr(inv.expr), BOOL, scope, this.catalog);
      return { name: inv.name, expr, source: inv.expr, path };
    } catch (error) {
      const col = error instanceof ExprError ? error.col : undefined;
      this.issue(
        `${path}.expr`,
        `invariant ${inv.name}${col !== undefined ? ` › col ${col}` : ''}: ${(error as Error).message}`,
        'LS302',
        col,
      );
      return null;
    }
  }

  private scenario(scenario: Scenario, index: number): AnalyzedScenario {
    const base = `scenarios[${index}]`;
    const at = (path: string, message: string, code = 'LS220') => this.issue(`${base}.${path}`, `scenario ${scenario.name}: ${message}`, code);
    // Nodes and their OS processes.
    const nodes = new Map<string, Set<string>>();
    (scenario.nodes ?? []).forEach((node, i) => {
      if (nodes.has(node.name)) at(`nodes[${i}].name`, `duplicate node '${node.name}'`);
      nodes.set(node.name, new Set(node.osProcesses ?? []));
    });
    for (const lockName of Object.keys(scenario.locks ?? {})) {
      if (!this.catalog.locks.has(lockName)) at(`locks.${lockName}`, `unknown lock '${lockName}'${didYouMean(lockName, this.catalog.locks.keys())}`);
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
      if (instance.state !== undefined && !resource.states.includes(instance.state)) {
        at(`instances[${i}].state`, `unknown state '${instance.state}' of ${resource.name}${didYouMean(instance.state, resource.states)}`);
      }
    });
    scenario.instances.forEach((instance, i) => {
      const resource = this.catalog.resources.get(instance.type);
      if (!resource) return;
      for (const [field, value] of Object.entries(instance.fields ?? {})) {
        const type = resource.fields.get(field);
        if (!type || field === 'state') {
          at(`instances[${i}].fields.${field}`, `${resource.name} has no field '${field}'${didYouMean(field, [...resource.fields.keys()].filter((f) => f !== 'state'))}`);
        } else if (type.kind === 'ref') {
          if (instances.get(String(value)) !== type.resource) {
            at(`instances[${i}].fields.${field}`, `'${String(value)}' is not an instance of ${type.resource} in this scenario`);
          }
        } else {
          this.literal(value, type, `${base}.instances[${i}].fields.${field}`);
        }
      }
      for (const [field, type] of resource.fields) {
        if (type.kind !== 'ref' || (instance.fields && Object.hasOwn(instance.fields, field))) continue;
        const candidates = [...instances].filter(([, t]) => t === type.resource);
        if (candidates.length !== 1) {
          at(`instances[${i}].fields`, `${instance.name}.${field} must name a ${type.resource} instance (there are ${candidates.length} to choose from)`);
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
        const op = this.doc.operations.find((o) => o.name === proc.operation);
        if (!op) {
          at(`${path}.operation`, `unknown operation '${proc.operation}'${didYouMean(proc.operation, this.doc.operations.map((o) => o.name))}`);
          return;
        }
        for (const param of op.params) {
          // Own keys only: a parameter called 'toString' or 'constructor' is not given by Object.prototype.
          const arg = Object.hasOwn(proc.args, param.name) ? proc.args[param.name] : undefined;
          if (arg === undefined) at(`${path}.args`, `missing argument '${param.name}' (${param.type}) for ${op.name}`);
          else if (!instances.has(arg)) at(`${path}.args.${param.name}`, `unknown instance '${arg}'${didYouMean(arg, instances.keys())}`);
          else if (instances.get(arg) !== param.type) at(`${path}.args.${param.name}`, `'${arg}' is a ${instances.get(arg)}, but ${op.name}.${param.name} takes a ${param.type}`);
        }
        for (const arg of Object.keys(proc.args)) {
          if (!op.params.some((p) => p.name === arg)) at(`${path}.args.${arg}`, `${op.name} has no parameter '${arg}'`);
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
    if (scenario.expect?.verdict === 'violation' && scenario.expect.name) {
      const names = [...this.doc.invariants.map((v) => v.name), ...(scenario.invariants ?? []).map((v) => v.name)];
      if (scenario.expect.kind === 'invariant' && !names.includes(scenario.expect.name)) {
        at('expect.name', `no invariant called '${scenario.expect.name}'${didYouMean(scenario.expect.name, names)}`);
      }
    }
    const scope = new Map<string, Binding>([...instances].map(([name, resource]) => [name, { k: 'instance', resource }]));
    this.unique(scenario.invariants ?? [], `${base}.invariants`, 'invariant');
    const invariants = (scenario.invariants ?? [])
      .map((inv, i) => this.invariant(inv, `${base}.invariants[${i}]`, scope))
      .filter((i): i is AnalyzedInvariant => i !== null);
    return { source: scenario, index, invariants };
  }
}

interface StepContext {
  op: Operation;
  base: string;
  scope: Map<string, Binding>;
  labels: Set<string>;
  locals: Map<string, Type>;
  inAtomic: boolean;
}

/** Issues that make the catalog unsafe to resolve expressions against. */
const NAME_BLOCKERS = new Set(['LS201', 'LS204', 'LS206']);

const ATOMIC_KINDS = new Set<Step['kind']>(['read', 'if', 'require', 'write', 'cas', 'assert', 'abort', 'return']);
