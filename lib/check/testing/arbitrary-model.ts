/**
 * fast-check arbitrary of small, valid Lockstep model documents with exactly
 * one scenario (named `s`). Built imperatively with `fc.gen()` so later
 * choices can depend on earlier ones (names in scope, lock keys, labels).
 *
 * Kept deliberately small (few states, few steps, at most 3 processes) so that
 * the naive explorer can exhaust most of them. Int fields are only ever
 * written with in-range literals, so no model can produce `invalid-value`
 * (which no check switch turns off and would make the single-check
 * comparisons ambiguous).
 */
import fc from 'fast-check';
import { BACKEND_DEFAULTS } from '../../model/catalog';
import type { ModelDocument, Scenario, Step } from '../../model/schema';

type G = fc.GeneratorValue;

export interface ArbitraryModelOptions {
  /** Maximum nesting of blocks inside steps (default 2). */
  maxNesting?: number;
  /** Maximum steps at the top level of an operation (default 5). */
  maxTopSteps?: number;
  /** Maximum processes in the scenario, recovery excluded (default 3). */
  maxProcesses?: number;
  /** Maximum budget of each fault (default 1); 0: no faults and no recovery. */
  maxFaults?: number;
  /** Whether to declare and use locks (default true). */
  locks?: boolean;
  /** Every lock hands out fencing tokens, and token()/fence() conditions and `with` blocks are frequent (default false). */
  tokens?: boolean;
}

const STATE_KINDS = ['stable', 'transitional', 'terminal', 'error'] as const;
const ENUM_VALUES = ['a', 'b', 'c'];

interface ResourceGen {
  name: string;
  states: string[];
  /** `owner` is a reference to an R0 instance (only on R1). */
  fields: { flag: boolean; mode: boolean; n: boolean; owner: boolean };
}

interface LockGen {
  name: string;
  key: string | undefined;
  fencing: boolean;
}

/** `nint` is a ranged int (a field's 0..2), `int` an unbounded one (arithmetic, count), `token` a fencing token's 0..: different types to the checker. */
type LocalType = { kind: 'state' | 'mode' | 'ref'; resource: string } | { kind: 'bool' } | { kind: 'int' } | { kind: 'nint' } | { kind: 'token' };

interface Ctx {
  resources: ResourceGen[];
  locks: LockGen[];
  /** Params in scope: name → resource type. */
  params: Array<{ name: string; type: string }>;
  locals: Array<{ name: string; type: LocalType }>;
  labels: string[];
  nextLabel: number;
  nextLocal: number;
  /** Generating a `repeat` body: no fencing lock is acquired there (LS242). */
  inRepeat?: boolean;
  /** Fencing locks taken by an enclosing `with` or an earlier acquire: token() conditions on them can tell states apart. */
  held?: Array<{ lock: LockGen; on?: string }>;
  /** ArbitraryModelOptions.tokens. */
  tokens?: boolean;
}

class Picker {
  constructor(private readonly g: G) {}
  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  bool(pTrue = 0.5): boolean {
    // Resolution of 1/20 is plenty.
    return this.int(0, 19) < Math.round(pTrue * 20);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  weighted<T extends string>(weights: Array<[T, number]>): T {
    const total = weights.reduce((n, [, w]) => n + w, 0);
    let r = this.int(0, total - 1);
    for (const [value, w] of weights) {
      if (r < w) return value;
      r -= w;
    }
    return weights[0][0];
  }
  subset<T>(items: readonly T[], min = 0): T[] {
    const out = items.filter(() => this.bool());
    while (out.length < min) out.push(items[this.int(0, items.length - 1)]);
    return [...new Set(out)];
  }
}

const q = (s: string) => JSON.stringify(s);

export function arbitraryModel(options: ArbitraryModelOptions = {}): fc.Arbitrary<ModelDocument> {
  return fc.gen().map((g) => buildModel(new Picker(g), options));
}

function buildModel(p: Picker, options: ArbitraryModelOptions): ModelDocument {
  const maxNesting = options.maxNesting ?? 2;
  const maxTop = options.maxTopSteps ?? 5;

  // ---- resources --------------------------------------------------------
  const resourceCount = p.int(1, 2);
  const resources: ResourceGen[] = [];
  const resourceDocs: ModelDocument['resources'] = [];
  for (let r = 0; r < resourceCount; r++) {
    const name = `R${r}`;
    const stateCount = p.int(2, 5);
    const states = Array.from({ length: stateCount }, (_, i) => `s${i}`);
    const kinds = states.map(() => p.weighted<(typeof STATE_KINDS)[number]>([['stable', 4], ['transitional', 3], ['terminal', 2], ['error', 1]]));
    const transitions: Array<{ from: string; to: string }> = [];
    for (const from of states) for (const to of states) if (from !== to && p.bool(0.35)) transitions.push({ from, to });
    const fields = { flag: p.bool(0.35), mode: p.bool(0.25), n: p.bool(0.3), owner: r === 1 && p.bool(0.7) };
    const fieldDocs: NonNullable<ModelDocument['resources'][number]['fields']> = [];
    if (fields.flag) fieldDocs.push({ name: 'flag', type: { kind: 'bool' }, ...(p.bool() ? { initial: p.bool() } : {}), ...(p.bool(0.4) ? { heartbeat: true } : {}) });
    if (fields.mode) fieldDocs.push({ name: 'mode', type: { kind: 'enum', values: ENUM_VALUES }, ...(p.bool() ? { initial: p.pick(ENUM_VALUES) } : {}) });
    if (fields.n) fieldDocs.push({ name: 'n', type: { kind: 'int', min: 0, max: 2 }, ...(p.bool() ? { initial: p.int(0, 2) } : {}) });
    if (fields.owner) fieldDocs.push({ name: 'owner', type: { kind: 'ref', resource: 'R0' } });
    resources.push({ name, states, fields });
    resourceDocs.push({
      name,
      states: states.map((s, i) => ({ name: s, kind: kinds[i] })),
      initial: p.pick(states),
      transitions,
      ...(fieldDocs.length > 0 ? { fields: fieldDocs } : {}),
    });
  }

  // ---- locks --------------------------------------------------------------
  const lockCount = options.locks === false ? '0' : p.weighted<'0' | '1' | '2'>([['0', options.tokens ? 0 : 2], ['1', 3], ['2', 2]]);
  const locks: LockGen[] = [];
  const lockDocs: ModelDocument['locks'] = [];
  for (let l = 0; l < Number(lockCount); l++) {
    const name = `L${l}`;
    const key = p.bool(0.6) ? p.pick(resources).name : undefined;
    if (p.bool(0.3)) {
      // A backend fills in the policy; sometimes one setting is overridden.
      const backend = p.pick(Object.keys(BACKEND_DEFAULTS) as Array<keyof typeof BACKEND_DEFAULTS>);
      const fencingOverride = options.tokens ? { fencing: true } : p.bool(0.3) ? { fencing: p.bool() } : {};
      locks.push({ name, key, fencing: fencingOverride.fencing ?? BACKEND_DEFAULTS[backend].fencing });
      lockDocs.push({ name, ...(key ? { key } : {}), backend, ...fencingOverride });
      continue;
    }
    const fencing = options.tokens || p.bool(0.4);
    locks.push({ name, key, fencing });
    lockDocs.push({
      name,
      ...(key ? { key } : {}),
      scope: p.pick(['process', 'node', 'cluster'] as const),
      onCrash: p.pick(['released', 'after-lease', 'never'] as const),
      leaseCanExpire: p.bool(0.4),
      fencing,
    });
  }

  // ---- operations ---------------------------------------------------------
  const params = resources.map((r, i) => ({ name: `r${i}`, type: r.name }));
  const operationCount = p.int(1, 3);
  const operations: ModelDocument['operations'] = [];
  const labelsByOp = new Map<string, string[]>();
  for (let o = 0; o < operationCount; o++) {
    const ctx: Ctx = { resources, locks, params, locals: [], labels: [], nextLabel: 0, nextLocal: 0, tokens: options.tokens };
    // Now and then an operation with no steps at all (it is done from the start, or as soon as recovery starts it).
    const steps = genSteps(p, ctx, p.bool(0.05) ? 0 : p.int(1, maxTop), 0, maxNesting, false);
    const name = `op${o}`;
    operations.push({ name, params, steps });
    labelsByOp.set(name, ctx.labels);
  }

  // ---- invariants ---------------------------------------------------------
  const invariants: ModelDocument['invariants'] = [];
  const invariantCount = p.weighted<'0' | '1' | '2'>([['0', 2], ['1', 3], ['2', 1]]);
  const invCtx: Ctx = { resources, locks, params: [], locals: [], labels: [], nextLabel: 0, nextLocal: 0 };
  for (let i = 0; i < Number(invariantCount); i++) {
    invariants.push({ name: `inv${i}`, expr: genInvariant(p, invCtx, labelsByOp) });
  }

  // ---- the scenario -------------------------------------------------------
  const instances: Scenario['instances'] = [];
  const instancesOf = new Map<string, string[]>();
  for (const r of resources) {
    const count = p.int(1, 2);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${r.name.toLowerCase()}_${i}`;
      names.push(name);
      const fields: Record<string, string | number | boolean> = {};
      if (r.fields.flag && p.bool(0.3)) fields.flag = p.bool();
      if (r.fields.mode && p.bool(0.3)) fields.mode = p.pick(ENUM_VALUES);
      if (r.fields.n && p.bool(0.3)) fields.n = p.int(0, 2);
      if (r.fields.owner) fields.owner = p.pick(instancesOf.get('R0')!);
      instances.push({
        name,
        type: r.name,
        ...(p.bool(0.5) ? { state: p.pick(r.states) } : {}),
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
      });
    }
    instancesOf.set(r.name, names);
  }
  const nodeCount = p.int(1, 2);
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    name: `n${i}`,
    ...(p.bool(0.3) ? { osProcesses: ['a', 'b'] } : {}),
  }));
  const placement = () => {
    const node = p.pick(nodes);
    const osProcess = node.osProcesses && p.bool(0.7) ? { osProcess: p.pick(node.osProcesses) } : {};
    return nodeCount > 1 || p.bool(0.5) ? { node: node.name, ...osProcess } : {};
  };
  const argsFor = () => Object.fromEntries(params.map((param) => [param.name, p.pick(instancesOf.get(param.type)!)]));
  // 1–3 processes in all, in 1–2 entries; identical copies (count > 1) make symmetry matter.
  const totalProcesses = p.int(1, options.maxProcesses ?? 3);
  const processes: Scenario['processes'] = [];
  let placed = 0;
  while (placed < totalProcesses) {
    const count = p.int(1, totalProcesses - placed);
    processes.push({
      name: `p${processes.length}`,
      operation: p.pick(operations).name,
      args: argsFor(),
      ...placement(),
      ...(count > 1 ? { count } : {}),
    });
    placed += count;
  }
  const faults: NonNullable<Scenario['faults']> = {};
  const maxFaults = options.maxFaults ?? 1;
  if (maxFaults > 0) {
    if (p.bool(0.3)) faults.crash = p.int(1, maxFaults);
    if (p.bool(0.25)) faults.leaseExpiry = p.int(1, maxFaults);
    if (p.bool(0.25)) faults.callFailure = p.int(1, maxFaults);
    if (p.bool(0.25)) faults.heartbeatLoss = p.int(1, maxFaults);
  }
  const recovery: NonNullable<Scenario['recovery']> = [];
  if (faults.crash && p.bool(0.4)) {
    recovery.push({ name: 'rec', operation: p.pick(operations).name, args: argsFor(), ...placement(), after: p.pick(processes).name! });
  }
  const scenarioInvariants: NonNullable<Scenario['invariants']> = [];
  if (p.bool(0.25)) {
    const inst = instances[p.int(0, instances.length - 1)];
    const r = resources.find((x) => x.name === inst.type)!;
    const keyed = locks.filter((l) => l.key === r.name);
    scenarioInvariants.push({
      name: 'local-inv',
      expr: keyed.length > 0 && p.bool(0.4) ? `!holds(${p.pick(keyed).name}, ${inst.name}) || ${fieldCond(p, inst.name, r, resources[0].states)}` : fieldCond(p, inst.name, r, resources[0].states),
    });
  }
  const lockOverrides: NonNullable<Scenario['locks']> = {};
  for (const lock of locks) {
    if (!p.bool(0.15)) continue;
    // Overrides keep the fencing setting: fenced writes need a fencing lock.
    lockOverrides[lock.name] = p.bool(0.5)
      ? { scope: p.pick(['process', 'node', 'cluster'] as const), onCrash: p.pick(['released', 'after-lease', 'never'] as const), leaseCanExpire: p.bool(), fencing: lock.fencing }
      : { backend: p.pick((Object.keys(BACKEND_DEFAULTS) as Array<keyof typeof BACKEND_DEFAULTS>).filter((b) => BACKEND_DEFAULTS[b].fencing === lock.fencing)) };
  }
  const scenario: Scenario = {
    name: 's',
    ...(scenarioInvariants.length > 0 ? { invariants: scenarioInvariants } : {}),
    ...(Object.keys(lockOverrides).length > 0 ? { locks: lockOverrides } : {}),
    ...(nodeCount > 1 || p.bool(0.3) ? { nodes } : {}),
    instances,
    processes,
    ...(recovery.length > 0 ? { recovery } : {}),
    ...(Object.keys(faults).length > 0 ? { faults } : {}),
  };
  // Without declared nodes a placement names nodes nobody declared: drop it.
  if (!scenario.nodes) {
    for (const proc of [...scenario.processes, ...(scenario.recovery ?? [])]) {
      delete proc.node;
      delete proc.osProcess;
    }
  }
  return {
    name: 'generated',
    resources: resourceDocs,
    locks: lockDocs,
    operations,
    invariants,
    scenarios: [scenario],
  };
}

// ---- steps -----------------------------------------------------------------

type StepKind = Step['kind'];
const ATOMIC_OK: StepKind[] = ['read', 'if', 'require', 'write', 'cas', 'update', 'assert', 'abort', 'return'];

function genSteps(p: Picker, ctx: Ctx, count: number, nesting: number, maxNesting: number, inAtomic: boolean): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) steps.push(genStep(p, ctx, nesting, maxNesting, inAtomic));
  return steps;
}

function genStep(p: Picker, ctx: Ctx, nesting: number, maxNesting: number, inAtomic: boolean): Step {
  const canNest = nesting < maxNesting;
  const weights: Array<[StepKind, number]> = [
    ['read', 4],
    ['if', canNest ? 2 : 0],
    ['await', 1],
    ['require', 2],
    ['write', 4],
    ['cas', 4],
    ['update', 3],
    ['atomic', canNest ? 2 : 0],
    ['acquire', ctx.locks.length ? 2 : 0],
    ['release', ctx.locks.length ? 2 : 0],
    ['with', ctx.locks.length && canNest ? (ctx.tokens ? 5 : 2) : 0],
    ['call', 2],
    ['assert', 2],
    ['abort', 1],
    ['return', 1],
    ['repeat', canNest ? 2 : 0],
  ];
  // Inside a loop only locks without fencing tokens may be taken (every round would take a new token: LS242).
  const loopLocks = ctx.inRepeat ? ctx.locks.filter((l) => !l.fencing) : ctx.locks;
  if (loopLocks.length === 0) for (const w of weights) if (w[0] === 'acquire' || w[0] === 'with') w[1] = 0;
  const allowed = weights.filter(([kind, w]) => w > 0 && (!inAtomic || ATOMIC_OK.includes(kind)));
  const kind = p.weighted(allowed);
  const labelName = p.bool(0.3) ? `l${ctx.nextLabel++}` : null;
  const label: { label?: string } = labelName ? { label: labelName } : {};
  if (labelName) ctx.labels.push(labelName);
  const nested = (n: number, atomic = inAtomic) => genSteps(p, ctx, n, nesting + 1, maxNesting, atomic);
  switch (kind) {
    case 'read': {
      const { expr, type } = genValue(p, ctx);
      // Reuse a local of the same type sometimes, so a local can be overwritten.
      const same = ctx.locals.filter((l) => sameLocalType(l.type, type));
      let local: string;
      if (same.length > 0 && p.bool(0.3)) local = p.pick(same).name;
      else {
        local = `v${ctx.nextLocal++}`;
        ctx.locals.push({ name: local, type });
      }
      return { kind: 'read', ...label, local, expr };
    }
    case 'if': {
      const step: Step = { kind: 'if', ...label, cond: genCond(p, ctx, 2), then: nested(p.int(0, 2)) };
      if (p.bool(0.5)) step.else = nested(p.int(0, 2));
      return step;
    }
    case 'await':
      return { kind: 'await', ...label, cond: genCond(p, ctx, 1) };
    case 'require':
      return { kind: 'require', ...label, cond: genCond(p, ctx, 2), ...(p.bool() ? { message: 'nope' } : {}) };
    case 'assert':
      return { kind: 'assert', ...label, cond: genCond(p, ctx, 2), message: `assert ${ctx.nextLabel}` };
    case 'write': {
      const { target, value } = genWrite(p, ctx);
      const step: Step = { kind: 'write', ...label, target, value };
      const fencing = ctx.locks.filter((l) => l.fencing);
      if (fencing.length > 0 && p.bool(ctx.tokens ? 0.8 : 0.4)) {
        const lock = p.pick(fencing);
        step.fencedBy = { lock: lock.name, ...lockOn(p, ctx, lock, true) };
      }
      if (!inAtomic && p.bool(0.25)) step.onFail = nested(p.int(0, 1));
      return step;
    }
    case 'cas': {
      const { target, from, to } = genCas(p, ctx);
      const modes = inAtomic ? (['abort', 'skip'] as const) : (['abort', 'skip', 'retry'] as const);
      return { kind: 'cas', ...label, target, from, to, else: p.pick(modes) };
    }
    case 'update':
      return { kind: 'update', ...label, ...genUpdate(p, ctx, inAtomic, canNest ? nested : null) };
    case 'atomic':
      return { kind: 'atomic', ...label, steps: nested(p.int(1, 3), true) };
    case 'acquire': {
      const lock = p.pick(loopLocks);
      const tryIt = p.bool(0.35);
      const timeout = !tryIt && p.bool(0.3);
      const step: Step = { kind: 'acquire', ...label, lock: lock.name, ...lockOn(p, ctx, lock, true) };
      // Held from here on, maybe (a later release or a failed try is not tracked: this only steers generation).
      if (lock.fencing) (ctx.held ??= []).push({ lock, ...(step.on !== undefined ? { on: step.on } : {}) });
      if (p.bool(0.25)) step.shared = true;
      if (tryIt || timeout) {
        if (tryIt) step.try = true;
        else step.timeout = p.int(1, 5);
        if (canNest && p.bool(0.6)) step.else = nested(p.int(0, 2));
      }
      return step;
    }
    case 'release': {
      const lock = p.pick(ctx.locks);
      return { kind: 'release', ...label, lock: lock.name, ...lockOn(p, ctx, lock, true) };
    }
    case 'with': {
      const lock = p.pick(loopLocks);
      const where = lockOn(p, ctx, lock, true);
      const shared = p.bool(0.2) ? { shared: true } : {};
      const held = (ctx.held ??= []);
      if (lock.fencing) held.push({ lock, ...where });
      const steps = nested(p.int(0, 3));
      if (lock.fencing) held.pop();
      return { kind: 'with', ...label, lock: lock.name, ...where, ...shared, steps };
    }
    case 'call': {
      const mayFail = p.bool(0.5);
      const step: Step = { kind: 'call', ...label, name: 'svc', ...(p.bool(0.5) ? { long: true } : {}), ...(mayFail ? { mayFail } : {}) };
      if (mayFail && canNest && p.bool(0.6)) step.onFail = nested(p.int(0, 2));
      return step;
    }
    case 'repeat': {
      // A loop with a test (it may end) or without one (a daemon); its body may take only unfenced locks.
      const outer = ctx.inRepeat;
      ctx.inRepeat = true;
      const body = nested(p.int(1, 3));
      ctx.inRepeat = outer;
      return { kind: 'repeat', ...label, steps: body, ...(p.bool(0.6) ? { until: genCond(p, ctx, 1) } : {}) };
    }
    case 'abort':
      return { kind: 'abort', ...label, message: 'stop' };
    case 'return':
      return { kind: 'return', ...label };
    default:
      throw new Error(`unhandled ${kind}`);
  }
}

function sameLocalType(a: LocalType, b: LocalType): boolean {
  if (a.kind !== b.kind) return false;
  if ('resource' in a && 'resource' in b) return a.resource === b.resource;
  return true;
}

/** The `on` of a keyed lock: the parameter of its type, or sometimes a reference local (read earlier, maybe reassigned later). */
function lockOn(p: Picker, ctx: Ctx, lock: LockGen, allowLocal = false): { on?: string } {
  if (!lock.key) return {};
  const locals = allowLocal ? ctx.locals.filter((l) => l.type.kind === 'ref' && l.type.resource === lock.key) : [];
  if (locals.length > 0 && p.bool(0.4)) return { on: p.pick(locals).name };
  const param = ctx.params.find((x) => x.type === lock.key)!;
  return { on: param.name };
}

function paramOf(p: Picker, ctx: Ctx): { param: string; resource: ResourceGen } {
  const param = p.pick(ctx.params);
  return { param: param.name, resource: ctx.resources.find((r) => r.name === param.type)! };
}

/** A value to read into a local, with its type. */
function genValue(p: Picker, ctx: Ctx): { expr: string; type: LocalType } {
  const { param, resource } = paramOf(p, ctx);
  const fencing = ctx.locks.filter((l) => l.fencing);
  const options: Array<['state' | 'flag' | 'mode' | 'n' | 'cond' | 'count' | 'owner' | 'token', number]> = [
    ['token', fencing.length ? 1 : 0],
    ['state', 5],
    ['owner', resource.fields.owner ? 4 : 0],
    ['flag', resource.fields.flag ? 2 : 0],
    ['mode', resource.fields.mode ? 2 : 0],
    ['n', resource.fields.n ? 2 : 0],
    ['cond', 2],
    ['count', 1],
  ];
  switch (p.weighted(options.filter(([, w]) => w > 0))) {
    case 'state':
      return { expr: `${param}.state`, type: { kind: 'state', resource: resource.name } };
    case 'flag':
      return { expr: `${param}.flag`, type: { kind: 'bool' } };
    case 'mode':
      return { expr: `${param}.mode`, type: { kind: 'mode', resource: resource.name } };
    case 'n':
      return p.bool() ? { expr: `${param}.n`, type: { kind: 'nint' } } : { expr: `${param}.n + 1`, type: { kind: 'int' } };
    case 'count':
      return { expr: `count(${resource.name}, ${q(p.pick(resource.states))})`, type: { kind: 'int' } };
    case 'owner':
      return { expr: `${param}.owner`, type: { kind: 'ref', resource: 'R0' } };
    case 'token': {
      const lock = p.pick(fencing);
      const on = lockOn(p, ctx, lock, true).on;
      return { expr: `token(${lock.name}${on ? `, ${on}` : ''})`, type: { kind: 'token' } };
    }
    case 'cond':
    default:
      return { expr: genCond(p, ctx, 1), type: { kind: 'bool' } };
  }
}

/** A boolean condition over params, locals, quantifiers, counts and locks. */
function genCond(p: Picker, ctx: Ctx, depth: number): string {
  if (depth > 0 && p.bool(0.25)) {
    const op = p.pick(['&&', '||']);
    return `(${genCond(p, ctx, depth - 1)}) ${op} (${genCond(p, ctx, depth - 1)})`;
  }
  if (depth > 0 && p.bool(0.1)) return `!(${genCond(p, ctx, depth - 1)})`;
  const fencing = ctx.locks.filter((l) => l.fencing);
  const atoms: Array<['param' | 'local' | 'quant' | 'count' | 'holds' | 'const' | 'token' | 'fence', number]> = [
    ['param', ctx.params.length ? 6 : 0],
    ['local', ctx.locals.length ? 4 : 0],
    ['quant', 2],
    ['count', 1],
    ['holds', ctx.locks.length ? 1 : 0],
    ['const', 1],
    // Operations have parameters, invariants none: token() needs a process.
    ['token', fencing.length && ctx.params.length ? (ctx.tokens ? 12 : 3) : 0],
    ['fence', fencing.length ? (ctx.tokens ? 6 : 2) : 0],
  ];
  switch (p.weighted(atoms.filter(([, w]) => w > 0))) {
    case 'param': {
      const { param, resource } = paramOf(p, ctx);
      return fieldCond(p, param, resource, ctx.resources[0].states);
    }
    case 'local': {
      const local = p.pick(ctx.locals);
      const t = local.type;
      switch (t.kind) {
        case 'bool':
          return p.bool() ? local.name : `!${local.name}`;
        case 'int':
        case 'nint':
        case 'token':
          return `${local.name} ${p.pick(['<', '<=', '>', '>=', '==', '!='])} ${p.int(0, 3)}`;
        case 'state': {
          const r = ctx.resources.find((x) => x.name === t.resource)!;
          return p.bool(0.7)
            ? `${local.name} ${p.pick(['==', '!='])} ${q(p.pick(r.states))}`
            : `${local.name} in [${p.subset(r.states, 1).map(q).join(', ')}]`;
        }
        case 'mode':
          return `${local.name} == ${q(p.pick(ENUM_VALUES))}`;
        case 'ref': {
          const r0 = ctx.resources[0];
          const param = ctx.params.find((x) => x.type === 'R0');
          return param && p.bool(0.3) ? `${local.name} ${p.pick(['==', '!='])} ${param.name}` : fieldCond(p, local.name, r0, ctx.resources[0].states);
        }
      }
      break;
    }
    case 'quant': {
      const resource = p.pick(ctx.resources);
      if (p.bool(0.25)) {
        // Nested: the inner body relates both variables.
        const inner = p.pick(ctx.resources);
        const relate = inner.name === resource.name && p.bool() ? `y.state ${p.pick(['==', '!='])} x.state` : fieldCond(p, 'y', inner, ctx.resources[0].states);
        return `${p.pick(['all', 'any'])}(x: ${resource.name}, ${p.pick(['all', 'any'])}(y: ${inner.name}, (${relate}) ${p.pick(['&&', '||'])} (${fieldCond(p, 'x', resource, ctx.resources[0].states)})))`;
      }
      return `${p.pick(['all', 'any'])}(x: ${resource.name}, ${fieldCond(p, 'x', resource, ctx.resources[0].states)})`;
    }
    case 'count': {
      const resource = p.pick(ctx.resources);
      return `count(${resource.name}, ${q(p.pick(resource.states))}) ${p.pick(['<', '<=', '>', '>=', '==', '!='])} ${p.int(0, 2)}`;
    }
    case 'holds': {
      const lock = p.pick(ctx.locks);
      if (!lock.key) return `holds(${lock.name})`;
      const param = ctx.params.find((x) => x.type === lock.key);
      return param ? `holds(${lock.name}, ${param.name})` : `any(y: ${lock.key}, holds(${lock.name}, y))`;
    }
    case 'const':
      return p.pick(['true', 'false']);
    case 'token': {
      const held = ctx.held ?? [];
      const { lock, on } = held.length > 0 && p.bool(0.7) ? p.pick(held) : (() => {
        const lock = p.pick(fencing);
        return { lock, on: lockOn(p, ctx, lock, true).on };
      })();
      const token = `token(${lock.name}${on ? `, ${on}` : ''})`;
      // Against 0 or 1 (held or not, first or later holder) mostly: those are the values that tell states apart.
      const compare = p.pick(['<', '<=', '>', '>=', '==', '!=']);
      return p.bool(0.6) ? `${token} ${compare} ${p.int(0, 1)}` : `${token} ${compare} fence(${on ?? p.pick(ctx.params).name}, ${lock.name})`;
    }
    case 'fence':
      return fenceCond(p, ctx, p.pick(fencing));
  }
  return 'true';
}

/** `fence(r, L) op k`: on a parameter, a quantified instance, or (global lock) over every instance. */
function fenceCond(p: Picker, ctx: Ctx, lock: LockGen): string {
  const compare = `${p.pick(['<', '<=', '>', '>=', '==', '!='])} ${p.int(0, 1)}`;
  if (ctx.params.length && p.bool(0.6)) return `fence(${p.pick(ctx.params).name}, ${lock.name}) ${compare}`;
  if (!lock.key && p.bool()) return `fence(${lock.name}) ${compare}`;
  return `${p.pick(['all', 'any'])}(x: ${p.pick(ctx.resources).name}, fence(x, ${lock.name}) ${compare})`;
}

function fieldCond(p: Picker, object: string, resource: ResourceGen, ownerStates?: string[]): string {
  const options: Array<['state' | 'in' | 'flag' | 'mode' | 'n' | 'owner', number]> = [
    ['state', 4],
    ['owner', resource.fields.owner && ownerStates ? 2 : 0],
    ['in', 2],
    ['flag', resource.fields.flag ? 2 : 0],
    ['mode', resource.fields.mode ? 1 : 0],
    ['n', resource.fields.n ? 2 : 0],
  ];
  switch (p.weighted(options.filter(([, w]) => w > 0))) {
    case 'state':
      return `${object}.state ${p.pick(['==', '!='])} ${q(p.pick(resource.states))}`;
    case 'in':
      return `${object}.state in [${p.subset(resource.states, 1).map(q).join(', ')}]`;
    case 'flag':
      return p.bool() ? `${object}.flag` : `!${object}.flag`;
    case 'mode':
      return `${object}.mode ${p.pick(['==', '!='])} ${q(p.pick(ENUM_VALUES))}`;
    case 'owner':
      return `${object}.owner.state ${p.pick(['==', '!='])} ${q(p.pick(ownerStates!))}`;
    case 'n':
    default:
      return `${object}.n ${p.pick(['<', '<=', '>', '>=', '==', '!='])} ${p.int(0, 2)}`;
  }
}

function genWrite(p: Picker, ctx: Ctx): { target: string; value: string } {
  const { param, resource } = paramOf(p, ctx);
  const options: Array<['state' | 'flag' | 'mode' | 'n' | 'owner', number]> = [
    ['state', 6],
    ['owner', resource.fields.owner ? 1 : 0],
    ['flag', resource.fields.flag ? 2 : 0],
    ['mode', resource.fields.mode ? 1 : 0],
    ['n', resource.fields.n ? 2 : 0],
  ];
  switch (p.weighted(options.filter(([, w]) => w > 0))) {
    case 'state': {
      const locals = ctx.locals.filter((l) => l.type.kind === 'state' && l.type.resource === resource.name);
      if (locals.length > 0 && p.bool(0.2)) return { target: `${param}.state`, value: p.pick(locals).name };
      return { target: `${param}.state`, value: q(p.pick(resource.states)) };
    }
    case 'flag':
      return { target: `${param}.flag`, value: p.pick(['true', 'false', `!${param}.flag`]) };
    case 'mode':
      return { target: `${param}.mode`, value: q(p.pick(ENUM_VALUES)) };
    case 'owner': {
      const locals = ctx.locals.filter((l) => l.type.kind === 'ref');
      return { target: `${param}.owner`, value: locals.length > 0 && p.bool() ? p.pick(locals).name : ctx.params.find((x) => x.type === 'R0')!.name };
    }
    case 'n':
    default:
      // Only in-range literals: no model may produce invalid-value.
      return { target: `${param}.n`, value: String(p.int(0, 2)) };
  }
}

function genCas(p: Picker, ctx: Ctx): { target: string; from: Array<string | number | boolean>; to: string | number | boolean } {
  const { param, resource } = paramOf(p, ctx);
  const options: Array<['state' | 'flag' | 'mode' | 'n', number]> = [
    ['state', 8],
    ['flag', resource.fields.flag ? 1 : 0],
    ['mode', resource.fields.mode ? 1 : 0],
    ['n', resource.fields.n ? 1 : 0],
  ];
  switch (p.weighted(options.filter(([, w]) => w > 0))) {
    case 'state':
      return { target: `${param}.state`, from: p.subset(resource.states, 1), to: p.pick(resource.states) };
    case 'flag':
      return { target: `${param}.flag`, from: [p.bool()], to: p.bool() };
    case 'mode':
      return { target: `${param}.mode`, from: p.subset(ENUM_VALUES, 1), to: p.pick(ENUM_VALUES) };
    case 'n':
    default:
      return { target: `${param}.n`, from: [p.int(0, 2)], to: p.int(0, 2) };
  }
}

/**
 * An update of a parameter's row: where conditions on distinct fields (==, !=, in, not in; literals or
 * a local), filters, 1–3 sets (literals and values computed from the old row), and every way to fail:
 * else abort/skip/retry, or onFail — with failedAs read by an `if` — outside atomic.
 */
function genUpdate(
  p: Picker,
  ctx: Ctx,
  inAtomic: boolean,
  nested: ((n: number) => Step[]) | null,
): Omit<Extract<Step, { kind: 'update' }>, 'kind' | 'label'> {
  const { param, resource } = paramOf(p, ctx);
  const fields = (['state', 'flag', 'mode', 'n'] as const).filter((f) => f === 'state' || resource.fields[f]);
  const where: Extract<Step, { kind: 'update' }>['where'] = [];
  for (const field of p.subset(fields)) {
    const values: string[] =
      field === 'state' ? resource.states.map(q) : field === 'flag' ? ['true', 'false'] : field === 'mode' ? ENUM_VALUES.map(q) : ['0', '1', '2'];
    const locals = field === 'state' ? ctx.locals.filter((l) => l.type.kind === 'state' && l.type.resource === resource.name) : [];
    const op = p.pick(['==', '!=', 'in', 'not in'] as const);
    if (op === 'in' || op === 'not in') where.push({ field, op, value: `[${p.subset(values, 1).join(', ')}]` });
    else where.push({ field, op, value: locals.length > 0 && p.bool(0.3) ? p.pick(locals).name : p.pick(values) });
  }
  const filters = Array.from({ length: p.weighted<'0' | '1' | '2'>([['0', 3], ['1', 3], ['2', 1]]) === '0' ? 0 : p.int(1, 2) }, (_, i) => ({
    name: `f${i}`,
    cond: genCond(p, ctx, 1),
  }));
  const settable: Array<(typeof fields)[number] | 'owner'> = [...fields, ...(resource.fields.owner ? (['owner'] as const) : [])];
  // Often the state and a flag computed from the old state together: values read the row before the update.
  const chosen = resource.fields.flag && p.bool(0.4) ? (['state', 'flag'] as const) : p.subset(settable, 1);
  const set = chosen.map((field) => {
    switch (field) {
      case 'state':
        return { field, value: q(p.pick(resource.states)) };
      case 'flag':
        // Computed from the old row: the state before this update, or the flag itself.
        return { field, value: p.bool(0.6) ? `${param}.state == ${q(p.pick(resource.states))}` : p.pick(['true', `!${param}.flag`]) };
      case 'mode':
        return { field, value: resource.fields.mode && p.bool(0.3) ? `${param}.mode` : q(p.pick(ENUM_VALUES)) };
      case 'owner':
        return { field, value: ctx.params.find((x) => x.type === 'R0')!.name };
      case 'n':
      default:
        // In-range literals only (no invalid-value).
        return { field, value: String(p.int(0, 2)) };
    }
  });
  const conditions = where.length + filters.length;
  const failure = p.weighted<'abort' | 'skip' | 'retry' | 'onFail' | 'default'>([
    ['default', 2],
    ['abort', 1],
    ['skip', 2],
    ['retry', inAtomic ? 0 : 2],
    ['onFail', inAtomic || !nested ? 0 : 3],
  ]);
  const base = { target: param, where, ...(filters.length > 0 ? { filters } : {}), set };
  if (failure === 'default') return base;
  if (failure !== 'onFail') return { ...base, else: failure, ...(p.bool(0.3) ? { message: 'no match' } : {}) };
  const onFail = nested!(p.int(0, 2));
  if (conditions === 0 || !p.bool(0.7)) return { ...base, onFail };
  const failedAs = `why${ctx.nextLocal++}`;
  const names = [...where.map((w) => w.field), ...filters.map((f) => f.name)];
  const branch: Step = {
    kind: 'if',
    cond: `${failedAs} ${p.pick(['==', '!='])} ${q(p.pick(names))}`,
    then: [{ kind: 'write', target: `${param}.state`, value: q(p.pick(resource.states)) }],
    else: onFail,
  };
  return { ...base, failedAs, onFail: [branch] };
}

// ---- invariants --------------------------------------------------------------

function genInvariant(p: Picker, ctx: Ctx, labelsByOp: Map<string, string[]>): string {
  const labelled = [...labelsByOp].filter(([, labels]) => labels.length > 0);
  const fencing = ctx.locks.filter((l) => l.fencing);
  const kinds: Array<['quant' | 'count' | 'holds' | 'at' | 'combo' | 'fence', number]> = [
    ['quant', 4],
    ['count', 2],
    ['holds', ctx.locks.length ? 2 : 0],
    ['at', labelled.length ? 2 : 0],
    ['combo', 2],
    ['fence', fencing.length ? 1 : 0],
  ];
  const one = (kind: 'quant' | 'count' | 'holds' | 'at' | 'combo' | 'fence'): string => {
    switch (kind) {
      case 'fence':
        return fenceCond(p, ctx, p.pick(fencing));
      case 'quant':
        return p.bool(0.7) ? quant(p, ctx) : genCond(p, ctx, 1);
      case 'count': {
        const r = p.pick(ctx.resources);
        return `count(${r.name}, ${q(p.pick(r.states))}) <= ${p.int(0, 2)}`;
      }
      case 'holds': {
        const lock = p.pick(ctx.locks);
        if (!lock.key) return `!holds(${lock.name}) || ${quant(p, ctx)}`;
        const r = ctx.resources.find((x) => x.name === lock.key)!;
        return `all(x: ${r.name}, !holds(${lock.name}, x) || ${fieldCond(p, 'x', r, ctx.resources[0].states)})`;
      }
      case 'at': {
        const [op, labels] = p.pick(labelled);
        return `at(${op}, ${q(p.pick(labels))}) <= ${p.int(0, 1)}`;
      }
      case 'combo':
      default:
        return `(${quant(p, ctx)}) ${p.pick(['&&', '||'])} (${quant(p, ctx)})`;
    }
  };
  return one(p.weighted(kinds.filter(([, w]) => w > 0)));
}

function quant(p: Picker, ctx: Ctx): string {
  const r = p.pick(ctx.resources);
  return `${p.pick(['all', 'any'])}(x: ${r.name}, ${fieldCond(p, 'x', r, ctx.resources[0].states)})`;
}
