/**
 * An independent reference interpreter for the lock-free, fault-free subset
 * of the language, written from docs/design.md sections 1–2 alone: it walks the
 * analyzed step tree (no flattening into a program, no compiled closures, no
 * state vector, no `Semantics`), so it checks the checker's own semantics
 * rather than sharing them.
 *
 * Supported: read, if/else, await, require, write (fenced too), cas
 * (abort/skip/retry), update (where, filters, set from old values, onFail
 * with failedAs, abort/skip/retry), atomic, acquire/release (shared, try), with, call
 * (and its failure), assert, abort, return; lock scopes and fencing tokens;
 * faults (crash with each crash rule, lease expiry and stale writes, call
 * failure, heartbeat loss) and recovery processes; repeat loops (with and
 * without until) and acquire timeouts; invariants with quantifiers, count, at
 * and holds; token() and fence() in expressions.
 *
 * A process's position is a stack of (block, index) frames; it "stands at"
 * the step the top frame points to. A `with` body ends in a marker step that
 * releases the lock (the end of the block is a step of its own).
 */
import type { AnalyzedModel, AnalyzedStep } from '../../model/analyzed';
import type { Checks, ViolationKind } from '../../model/schema';
import type { Typed } from '../../model/expr/types';
import { encodeLiteral } from '../../model/expr/typecheck';
import { lockPolicy, type LockPolicy } from '../../model/catalog';
import { unreachable } from '../../model/walk';

/** The end of a `with` block: releases what the block took. */
interface EndWith {
  kind: 'endwith';
  key: string;
}
/** The test at the end of a `repeat … until` body: a step of its own (true: leave the loop, false: round again). */
interface Until {
  kind: 'until';
  repeat: Extract<AnalyzedStep, { kind: 'repeat' }>;
  path: string;
  label?: string;
}
type Position = AnalyzedStep | EndWith | Until;

interface Frame {
  steps: Position[];
  index: number;
  /** The body of a `repeat` without `until`: when it runs out it starts again (no step of its own). */
  forever?: boolean;
}

interface Proc {
  name: string;
  operation: string;
  args: Map<string, number>;
  status: 'dormant' | 'running' | 'done' | 'aborted' | 'crashed';
  stack: Frame[];
  locals: Map<string, number>;
  /** Lock instance (`L#instance`, -1 for global) → how it is held and its fencing token. */
  held: Map<string, Hold>;
  /** For a recovery process: the processes whose crash starts it. */
  triggers: number[];
  /** Which lock instance this process contends for, per scope. */
  domain: Record<LockPolicy['scope'], string>;
}

interface Instance {
  name: string;
  resource: string;
  fields: Map<string, number>;
}

interface Hold {
  mode: 'x' | 's';
  token: number;
  /**
   * held: in the lock table; expired: its lease ran out while it ran (it still believes it holds it);
   * superseded: expired, and another process has taken the lock since; crashed: its holder crashed and
   * the crash rule keeps it held.
   */
  state: 'held' | 'expired' | 'superseded' | 'crashed';
}

interface World {
  budgets: { crash: number; leaseExpiry: number; callFailure: number; heartbeatLoss: number };
  instances: Instance[];
  procs: Proc[];
  /** Next fencing token per lock instance and domain. */
  tokens: Map<string, number>;
  /** Highest token each instance accepted, per fencing lock. */
  fences: Map<string, number>;
}

export interface ReferenceOutcome {
  verdict: 'pass' | 'violation' | 'incomplete';
  kind: ViolationKind | null;
  depth: number | null;
  /** Every reachable state projected to instance fields and process statuses (for comparison). */
  projections: Set<string>;
}

class Violated extends Error {
  constructor(readonly kind: ViolationKind) {
    super(kind);
  }
}

const ALL: Checks = {
  invariants: true,
  assertions: true,
  illegalTransition: true,
  deadlock: true,
  stuckTransitional: true,
  lockLeak: true,
  releaseUnheld: true,
  staleWrite: true,
  // Liveness is judged on the graph `observe` sees (naive-liveness.ts), not here.
  termination: false,
  leavesTransitional: false,
};

/**
 * Sees the reachable graph as the search builds it (for the reference
 * liveness check, naive-liveness.ts): every expanded state once, in BFS
 * order, then each of its successors with who moved.
 */
export interface ReferenceObserver {
  state(key: string, facts: ReferenceFacts): void;
  /** `actor`: `p<i>` a step of process i; `lease:<i>:<lock key>` a crashed holder's lease runs out; `fault` any fault. */
  edge(from: string, to: string, actor: string): void;
}

export interface ReferenceFacts {
  /** Per process: running; and its next step can run (weak fairness's "enabled"). */
  running: boolean[];
  enabled: boolean[];
  /** Per instance: in a transitional state. */
  transitional: boolean[];
  /** Crashed holders' leases that may run out now (as `lease:<i>:<lock key>`). */
  leases: string[];
}

export function referenceCheck(model: AnalyzedModel, scenarioName: string, maxStates = 50_000, observe?: ReferenceObserver): ReferenceOutcome {
  const scenario = model.scenarios.find((s) => s.source.name === scenarioName)!;
  const src = scenario.source;
  const policies = new Map(model.document.locks.map((lock) => [lock.name, lockPolicy(lock, src.locks?.[lock.name])]));
  const checks: Checks = { ...ALL, ...(src.checks ?? {}) };
  const catalog = model.catalog;
  const invariants = [...model.invariants, ...scenario.invariants];
  const heartbeatFields = new Map(model.document.resources.map((r) => [r.name, (r.fields ?? []).filter((f) => f.heartbeat).map((f) => f.name)]));

  // ---- the initial world ----------------------------------------------------
  const instanceIndex = new Map(src.instances.map((inst, i) => [inst.name, i]));
  const instances: Instance[] = src.instances.map((inst) => {
    const resource = catalog.resources.get(inst.type)!;
    const fields = new Map<string, number>();
    for (const [field, type] of resource.fields) {
      if (field === 'state') {
        fields.set('state', inst.state !== undefined ? resource.states.indexOf(inst.state) : resource.initial);
        continue;
      }
      const given = inst.fields && Object.hasOwn(inst.fields, field) ? inst.fields[field] : resource.fieldInitials.get(field);
      if (type.kind === 'ref') {
        // Named explicitly, or the only instance of that type.
        const name = given !== undefined ? String(given) : src.instances.find((i) => i.type === type.resource)!.name;
        fields.set(field, instanceIndex.get(name)!);
      } else if (given !== undefined) {
        fields.set(field, encodeLiteral(given, type));
      } else {
        fields.set(field, type.kind === 'int' ? Math.max(type.min, Math.min(0, type.max)) : 0);
      }
    }
    return { name: inst.name, resource: inst.type, fields };
  });
  const procs: Proc[] = [];
  const byEntry = new Map<string, number[]>();
  const entries = [
    ...src.processes.map((p) => ({ ...p, after: undefined as string | undefined })),
    ...(src.recovery ?? []).map((p) => ({ ...p, count: 1 })),
  ];
  for (const entry of entries) {
    const count = entry.count ?? 1;
    const indices: number[] = [];
    byEntry.set(entry.name ?? entry.operation, indices);
    // Processes on a node without an OS process share the node's single one.
    const node = entry.node ?? src.nodes?.[0]?.name ?? 'node';
    const domain = { process: `${node}/${entry.osProcess ?? 'main'}`, node, cluster: '' };
    for (let copy = 0; copy < count; copy++) {
      const op = model.operations.get(entry.operation)!;
      indices.push(procs.length);
      procs.push({
        held: new Map(),
        triggers: entry.after !== undefined ? byEntry.get(entry.after)! : [],
        domain,
        name: count > 1 ? `${entry.name ?? entry.operation}#${copy + 1}` : (entry.name ?? entry.operation),
        operation: op.name,
        args: new Map(Object.entries(entry.args).map(([param, inst]) => [param, instanceIndex.get(inst)!])),
        status: entry.after !== undefined ? 'dormant' : 'running',
        stack: [{ steps: op.steps, index: 0 }],
        locals: new Map(),
      });
    }
  }

  // ---- expressions ----------------------------------------------------------
  const evaluate = (expr: Typed, world: World, proc: Proc | null, vars: Map<string, number>): number => {
    const ev = (e: Typed) => evaluate(e, world, proc, vars);
    switch (expr.kind) {
      case 'const':
        return expr.value;
      case 'local':
        return proc!.locals.get(expr.name) ?? 0;
      case 'param':
        return proc!.args.get(expr.name)!;
      case 'instance':
        return instanceIndex.get(expr.name)!;
      case 'qvar':
        return vars.get(expr.name)!;
      case 'field':
        return world.instances[ev(expr.object)].fields.get(expr.field)!;
      case 'not':
        return ev(expr.arg) ? 0 : 1;
      case 'neg':
        return -ev(expr.arg);
      case 'binary': {
        const a = ev(expr.left);
        // && and || short-circuit: nothing here has side effects, but keep the natural reading.
        if (expr.op === '&&') return a && ev(expr.right) ? 1 : 0;
        if (expr.op === '||') return a || ev(expr.right) ? 1 : 0;
        const b = ev(expr.right);
        switch (expr.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '<':
            return a < b ? 1 : 0;
          case '<=':
            return a <= b ? 1 : 0;
          case '>':
            return a > b ? 1 : 0;
          case '>=':
            return a >= b ? 1 : 0;
          case '==':
            return a === b ? 1 : 0;
          case '!=':
            return a !== b ? 1 : 0;
        }
        throw new Error(`operator ${expr.op}`);
      }
      case 'in': {
        const v = ev(expr.value);
        return expr.items.some((item) => ev(item) === v) ? 1 : 0;
      }
      case 'quant': {
        const domain = world.instances.map((inst, i) => [inst, i] as const).filter(([inst]) => inst.resource === expr.resource);
        const test = (i: number) => evaluate(expr.body, world, proc, new Map(vars).set(expr.variable, i)) !== 0;
        return (expr.quantifier === 'all' ? domain.every(([, i]) => test(i)) : domain.some(([, i]) => test(i))) ? 1 : 0;
      }
      case 'count':
        return world.instances.filter((inst) => inst.resource === expr.resource && inst.fields.get('state') === expr.state).length;
      case 'at':
        return world.procs.filter((p) => {
          const at = current(p);
          return p.operation === expr.operation && p.status === 'running' && at?.kind !== 'endwith' && at?.label === expr.label;
        }).length;
      case 'holds': {
        const key = `${expr.lock}#${expr.on ? ev(expr.on) : -1}`;
        return world.procs.some((p) => inTable(p.held.get(key))) ? 1 : 0;
      }
      case 'token':
        // What the process believes it holds: an expired lease keeps its token until released.
        return proc!.held.get(`${expr.lock}#${expr.on ? ev(expr.on) : -1}`)?.token ?? 0;
      case 'fence': {
        if (expr.on) return world.fences.get(`${expr.lock}#${ev(expr.on)}`) ?? 0;
        let max = 0;
        for (const [slot, token] of world.fences) if (slot.slice(0, slot.lastIndexOf('#')) === expr.lock) max = Math.max(max, token);
        return max;
      }
      default:
        return unreachable(expr, 'expression');
    }
  };

  // ---- locks -----------------------------------------------------------------
  const keyOf = (world: World, proc: Proc, use: { lock: string; on: Typed | null }) => `${use.lock}#${use.on ? evaluate(use.on, world, proc, new Map()) : -1}`;
  const policyOf = (key: string) => policies.get(key.slice(0, key.lastIndexOf('#')))!;
  /** Whether `proc` can take `key` now: nobody in its domain holds it (exclusively, for a shared request), and not itself. */
  const available = (world: World, proc: Proc, key: string, shared: boolean): boolean => {
    if (inTable(proc.held.get(key))) return false; // not re-entrant
    const scope = policyOf(key).scope;
    return world.procs.every((q) => {
      if (q === proc || q.domain[scope] !== proc.domain[scope]) return true;
      const h = q.held.get(key);
      return !inTable(h) || (shared && h!.mode === 's');
    });
  };
  const take = (world: World, proc: Proc, key: string, shared: boolean) => {
    let token = 0;
    if (policyOf(key).fencing) {
      const counter = `${key}@${proc.domain[policyOf(key).scope]}`;
      token = (world.tokens.get(counter) ?? 0) + 1;
      world.tokens.set(counter, token);
    }
    proc.held.set(key, { mode: shared ? 's' : 'x', token, state: 'held' });
    // Whoever's lease on it had expired (in this domain) has now been superseded.
    const scope = policyOf(key).scope;
    for (const q of world.procs) {
      const h = q.held.get(key);
      if (q !== proc && q.domain[scope] === proc.domain[scope] && h?.state === 'expired') q.held.set(key, { ...h, state: 'superseded' });
    }
  };
  /** A write's fence, unless the scenario implements its lock with a backend without tokens: then the write runs unfenced. */
  const fencedBy = (step: Extract<AnalyzedStep, { kind: 'write' }>) => (step.fencedBy && policies.get(step.fencedBy.lock)!.fencing ? step.fencedBy : null);
  /** A fenced write's token check: true when the instance accepts it (and records the token). */
  const fenceAccepts = (world: World, proc: Proc, fence: { lock: string; on: Typed | null }, instance: number): boolean => {
    const token = proc.held.get(keyOf(world, proc, fence))?.token ?? 0;
    const slot = `${fence.lock}#${instance}`;
    if (token === 0 || (world.fences.get(slot) ?? 0) > token) return false;
    world.fences.set(slot, token);
    return true;
  };

  // ---- steps -----------------------------------------------------------------
  /** Writes a field, checking the range and the state machine. */
  const write = (world: World, target: Extract<AnalyzedStep, { kind: 'write' }>['target'], value: number, proc: Proc, fenced = false) => {
    const index = targetOf(world, target, proc);
    const inst = world.instances[index];
    const resource = catalog.resources.get(inst.resource)!;
    if (!fenced && checks.staleWrite) {
      // An unfenced write by a process whose lease on this instance's lock (or a global lock) was taken over.
      for (const [key, h] of proc.held) {
        const on = Number(key.slice(key.lastIndexOf('#') + 1));
        if (h.state === 'superseded' && (on === index || on === -1)) throw new Violated('stale-write');
      }
    }
    if (target.type.kind === 'int' && (value < target.type.min || value > target.type.max)) throw new Violated('invalid-value');
    const currentValue = inst.fields.get(target.field)!;
    if (target.field === 'state' && value !== currentValue && checks.illegalTransition) {
      if (!resource.edges.has(`${resource.states[currentValue]}->${resource.states[value]}`)) throw new Violated('illegal-transition');
    }
    inst.fields.set(target.field, value);
  };

  const targetOf = (world: World, target: Extract<AnalyzedStep, { kind: 'write' }>['target'], proc: Proc) => evaluate(target.object, world, proc, new Map());

  // ---- update (Cinder's conditional_update) ------------------------------------
  type Update = Extract<AnalyzedStep, { kind: 'update' }>;
  /** The name of the first condition that does not hold (where fields in order, then filters), or null. */
  const failingCondition = (world: World, proc: Proc, step: Update): string | null => {
    const row = world.instances[evaluate(step.instance, world, proc, new Map())];
    for (const cond of step.expected) {
      const actual = row.fields.get(cond.target.field)!;
      const listed = cond.values.map((v) => evaluate(v, world, proc, new Map()));
      const holds = cond.op === '==' || cond.op === 'in' ? listed.includes(actual) : !listed.includes(actual);
      if (!holds) return cond.target.field;
    }
    for (const filter of step.filters) if (evaluate(filter.cond, world, proc, new Map()) === 0) return filter.name;
    return null;
  };
  /** Runs an update: 'matched', or the name of the condition that failed (nothing written then). */
  const applyUpdate = (world: World, proc: Proc, step: Update): { failed: string | null } => {
    const failed = failingCondition(world, proc, step);
    if (failed !== null) return { failed };
    // Like SQL: every new value is computed from the row before any is written.
    const values = step.set.map((entry) => evaluate(entry.value, world, proc, new Map()));
    step.set.forEach((entry, i) => write(world, entry.target, values[i], proc));
    return { failed: null };
  };

  /** Whether the process's next step can run. */
  const enabled = (world: World, proc: Proc): boolean => {
    const step = current(proc)!;
    // A timeout may give up whenever the lock is taken; a try gives up at once: both always move.
    if ((step.kind === 'acquire' && !step.try && step.timeout === null) || step.kind === 'with') return available(world, proc, keyOf(world, proc, step), step.shared);
    if (step.kind === 'await') return evaluate(step.cond, world, proc, new Map()) !== 0;
    if (step.kind === 'update' && step.else === 'retry' && !step.onFail) return failingCondition(world, proc, step) === null;
    if (step.kind === 'cas' && step.else === 'retry') {
      const inst = world.instances[evaluate(step.target.object, world, proc, new Map())];
      return step.from.includes(inst.fields.get(step.target.field)!);
    }
    return true;
  };

  /** Runs an atomic body in place: 'ok', 'return', 'abort' (caller rolls back). */
  const runAtomic = (world: World, proc: Proc, steps: AnalyzedStep[]): 'ok' | 'return' | 'abort' => {
    for (const step of steps) {
      const cond = (e: Typed) => evaluate(e, world, proc, new Map()) !== 0;
      switch (step.kind) {
        case 'read':
          proc.locals.set(step.local, evaluate(step.expr, world, proc, new Map()));
          break;
        case 'if': {
          const r = runAtomic(world, proc, cond(step.cond) ? step.then : step.else);
          if (r !== 'ok') return r;
          break;
        }
        case 'require':
          if (!cond(step.cond)) return 'abort';
          break;
        case 'assert':
          if (!cond(step.cond) && checks.assertions) throw new Violated('assertion');
          break;
        case 'write': {
          const value = evaluate(step.value, world, proc, new Map());
          const fence = fencedBy(step);
          if (fence && !fenceAccepts(world, proc, fence, targetOf(world, step.target, proc))) return 'abort';
          write(world, step.target, value, proc, !!fence);
          break;
        }
        case 'cas': {
          const inst = world.instances[evaluate(step.target.object, world, proc, new Map())];
          if (step.from.includes(inst.fields.get(step.target.field)!)) write(world, step.target, step.to, proc);
          else if (step.else !== 'skip') return 'abort';
          break;
        }
        case 'update': {
          // Validation allows only else abort/skip here.
          const { failed } = applyUpdate(world, proc, step);
          if (failed !== null && step.else !== 'skip') return 'abort';
          break;
        }
        case 'abort':
          return 'abort';
        case 'return':
          return 'return';
        case 'await':
        case 'atomic':
        case 'acquire':
        case 'release':
        case 'with':
        case 'call':
        case 'repeat':
          throw new Error(`${step.kind} inside atomic`); // the validator refuses these
        default:
          return unreachable(step, 'step kind');
      }
    }
    return 'ok';
  };

  /** Takes the process's next step in `world` (mutating it). */
  const stepProcess = (world: World, proc: Proc, callFails = false): void => {
    const step = current(proc)!;
    const frame = proc.stack[proc.stack.length - 1];
    const end = (status: 'done' | 'aborted') => {
      // `with` blocks release on every exit; a lock still held then is a leak (and stays held).
      for (let i = proc.stack.length - 1; i >= 0; i--) {
        const last = proc.stack[i].steps[proc.stack[i].steps.length - 1];
        if (last?.kind === 'endwith') proc.held.delete(last.key);
      }
      for (const [key, h] of proc.held) {
        if (h.state !== 'held') proc.held.delete(key); // an expired lease is not a leak
        else if (checks.lockLeak) throw new Violated('lock-leak'); // else: leaked, it stays held
      }
      proc.status = status;
      proc.stack = [];
      proc.locals = new Map();
    };
    const settle = () => {
      normalize(proc);
      if (proc.stack.length === 0) end('done');
    };
    const advance = () => {
      frame.index++;
      settle();
    };
    /** Leaves this step for an alternative block (else of a try, onFail), then what follows the step. */
    const branch = (block: AnalyzedStep[]) => {
      frame.index++;
      proc.stack.push({ steps: block, index: 0 });
      settle();
    };
    if (step.kind === 'endwith') {
      proc.held.delete(step.key);
      return advance();
    }
    if (step.kind === 'until') {
      if (evaluate(step.repeat.until!, world, proc, new Map()) !== 0) return advance();
      frame.index = 0; // round again
      return settle();
    }
    const cond = (e: Typed) => evaluate(e, world, proc, new Map()) !== 0;
    switch (step.kind) {
      case 'read':
        proc.locals.set(step.local, evaluate(step.expr, world, proc, new Map()));
        return advance();
      case 'if':
        return branch(cond(step.cond) ? step.then : step.else);
      case 'await':
        return advance();
      case 'call':
        if (!callFails) return advance();
        world.budgets.callFailure--;
        return step.onFail ? branch(step.onFail) : end('aborted');
      case 'require':
        return cond(step.cond) ? advance() : end('aborted');
      case 'assert':
        if (!cond(step.cond) && checks.assertions) throw new Violated('assertion');
        return advance();
      case 'write': {
        const value = evaluate(step.value, world, proc, new Map());
        const fence = fencedBy(step);
        if (fence && !fenceAccepts(world, proc, fence, targetOf(world, step.target, proc))) {
          return step.onFail ? branch(step.onFail) : end('aborted');
        }
        write(world, step.target, value, proc, !!fence);
        return advance();
      }
      case 'acquire': {
        const key = keyOf(world, proc, step);
        if (!available(world, proc, key, step.shared)) return branch(step.else); // only a try or a timeout gets here
        take(world, proc, key, step.shared);
        return advance();
      }
      case 'release': {
        const key = keyOf(world, proc, step);
        if (!proc.held.delete(key) && checks.releaseUnheld) throw new Violated('release-unheld');
        return advance();
      }
      case 'with': {
        const key = keyOf(world, proc, step);
        take(world, proc, key, step.shared);
        frame.index++;
        proc.stack.push({ steps: [...step.steps, { kind: 'endwith', key }], index: 0 });
        return settle();
      }
      case 'cas': {
        const inst = world.instances[evaluate(step.target.object, world, proc, new Map())];
        if (step.from.includes(inst.fields.get(step.target.field)!)) {
          write(world, step.target, step.to, proc);
          return advance();
        }
        return step.else === 'skip' ? advance() : end('aborted'); // retry: not enabled unless it matches
      }
      case 'update': {
        const { failed } = applyUpdate(world, proc, step);
        if (failed === null) return advance();
        if (step.onFail) {
          if (step.failedAs !== null) proc.locals.set(step.failedAs, step.conditions.indexOf(failed));
          return branch(step.onFail);
        }
        return step.else === 'skip' ? advance() : end('aborted'); // retry: not enabled unless it matches
      }
      case 'atomic': {
        const saved = world.instances.map((inst) => new Map(inst.fields));
        const savedFences = new Map(world.fences);
        const result = runAtomic(world, proc, step.steps);
        if (result === 'abort') {
          world.instances.forEach((inst, i) => (inst.fields = saved[i]));
          world.fences = savedFences;
          return end('aborted');
        }
        return result === 'return' ? end('done') : advance();
      }
      case 'repeat':
        throw new Error('a process never stands at a repeat: normalize enters it'); // see normalize()
      case 'abort':
        return end('aborted');
      case 'return':
        return end('done');
      default:
        return unreachable(step, 'step kind');
    }
  };

  // ---- state properties -------------------------------------------------------
  const brokenInvariant = (world: World): boolean =>
    checks.invariants && invariants.some((inv) => evaluate(inv.expr, world, null, new Map()) === 0);
  const terminal = (world: World): ViolationKind | null => {
    // A process waiting at an await inside an endless loop idles (a server waiting for work): it is not stuck.
    const idles = (p: Proc) => current(p)?.kind === 'await' && p.stack.some((f) => f.forever) && !enabled(world, p);
    const running = world.procs.filter((p) => p.status === 'running' && !idles(p));
    // The lease of a crashed holder will run out: not the end yet.
    if (world.procs.some((p) => p.status === 'crashed' && [...p.held].some(([key, h]) => h.state === 'crashed' && policyOf(key).onCrash === 'after-lease'))) return null;
    if (running.length > 0) {
      if (running.some((p) => enabled(world, p))) return null;
      return checks.deadlock ? 'deadlock' : null;
    }
    if (!checks.stuckTransitional) return null;
    for (const inst of world.instances) {
      const resource = catalog.resources.get(inst.resource)!;
      if (resource.stateKinds[inst.fields.get('state')!] === 'transitional') return 'stuck-transitional';
    }
    return null;
  };
  const stateViolation = (world: World): ViolationKind | null => (brokenInvariant(world) ? 'invariant' : terminal(world));

  // ---- breadth-first search ------------------------------------------------------
  const key = (world: World) =>
    JSON.stringify([
      world.instances.map((inst) => [...inst.fields.values()]),
      world.procs.map((p) => [p.status, p.stack.map((f) => [f.steps.map((x) => (x.kind === 'endwith' ? x.key : x.path)).join(' '), f.index]), [...p.locals].sort(), [...p.held].sort()]),
      world.budgets,
      [...world.tokens].sort(),
      [...world.fences].sort(),
    ]);
  const projection = (world: World) =>
    JSON.stringify([world.instances.map((inst) => [...inst.fields.values()]), world.procs.map((p) => p.status)]);
  const clone = (world: World): World => ({
    budgets: { ...world.budgets },
    instances: world.instances.map((inst) => ({ ...inst, fields: new Map(inst.fields) })),
    procs: world.procs.map((p) => ({ ...p, stack: p.stack.map((f) => ({ ...f })), locals: new Map(p.locals), held: new Map(p.held) })),
    tokens: new Map(world.tokens),
    fences: new Map(world.fences),
  });

  const projections = new Set<string>();
  const faults = src.faults ?? {};
  const initial: World = {
    budgets: { crash: faults.crash ?? 0, leaseExpiry: faults.leaseExpiry ?? 0, callFailure: faults.callFailure ?? 0, heartbeatLoss: faults.heartbeatLoss ?? 0 },
    instances,
    procs,
    tokens: new Map(),
    fences: new Map(),
  };
  // A process with no steps is done from the start.
  for (const proc of procs) {
    normalize(proc);
    if (proc.stack.length === 0 && proc.status === 'running') proc.status = 'done';
  }

  // ---- faults ----------------------------------------------------------------
  const crash = (world: World, p: number) => {
    const proc = world.procs[p];
    world.budgets.crash--;
    for (const [key, h] of proc.held) {
      // The crash rule: released at once, or kept by the dead holder (until its lease runs out, or forever).
      if (h.state === 'held' && policyOf(key).onCrash !== 'released') proc.held.set(key, { ...h, state: 'crashed' });
      else proc.held.delete(key);
    }
    proc.status = 'crashed';
    proc.stack = [];
    proc.locals = new Map();
    for (const recovery of world.procs) {
      if (recovery.status === 'dormant' && recovery.triggers.includes(p)) {
        recovery.status = 'running';
        normalize(recovery);
        if (recovery.stack.length === 0) recovery.status = 'done';
      }
    }
  };
  /** Who made each successor (for `observe`). */
  const actors = new WeakMap<World, string>();
  /** Every successor of `world`: each enabled step, failing call, crash, lease expiry and lease run-out. */
  const successors = (world: World): World[] => {
    const out: World[] = [];
    const variant = (change: (w: World) => void, actor = 'fault') => {
      const after = clone(world);
      change(after);
      actors.set(after, actor);
      out.push(after);
    };
    world.procs.forEach((proc, p) => {
      if (proc.status === 'running') {
        const step = current(proc)!;
        if (enabled(world, proc)) variant((w) => stepProcess(w, w.procs[p]), `p${p}`);
        if (world.budgets.callFailure > 0 && step.kind === 'call' && step.mayFail) variant((w) => stepProcess(w, w.procs[p], true));
        if (world.budgets.crash > 0) variant((w) => crash(w, p));
        if (world.budgets.leaseExpiry > 0) {
          for (const [key, h] of proc.held) {
            if (h.state !== 'held' || !policyOf(key).leaseCanExpire) continue;
            variant((w) => {
              w.budgets.leaseExpiry--;
              w.procs[p].held.set(key, { ...h, state: 'expired' });
            });
          }
        }
      } else if (proc.status === 'crashed') {
        for (const [key, h] of proc.held) {
          if (h.state === 'crashed' && policyOf(key).onCrash === 'after-lease') variant((w) => w.procs[p].held.delete(key), `lease:${p}:${key}`);
        }
      }
    });
    // Heartbeat loss: any true `heartbeat: true` field of any instance may turn false while the budget lasts.
    if (world.budgets.heartbeatLoss > 0) {
      world.instances.forEach((inst, i) => {
        for (const field of heartbeatFields.get(inst.resource) ?? []) {
          if (inst.fields.get(field) === 0) continue;
          variant((w) => {
            w.budgets.heartbeatLoss--;
            w.instances[i].fields.set(field, 0);
          });
        }
      });
    }
    return out;
  };
  const factsOf = (world: World): ReferenceFacts => ({
    running: world.procs.map((p) => p.status === 'running'),
    enabled: world.procs.map((p) => p.status === 'running' && enabled(world, p)),
    transitional: world.instances.map((inst) => catalog.resources.get(inst.resource)!.stateKinds[inst.fields.get('state')!] === 'transitional'),
    leases: world.procs.flatMap((p, i) =>
      p.status === 'crashed' ? [...p.held].filter(([k, h]) => h.state === 'crashed' && policyOf(k).onCrash === 'after-lease').map(([k]) => `lease:${i}:${k}`) : [],
    ),
  });
  const seen = new Set([key(initial)]);
  projections.add(projection(initial));
  const v0 = stateViolation(initial);
  if (v0) return { verdict: 'violation', kind: v0, depth: 0, projections };
  let level: World[] = [initial];
  for (let depth = 1; level.length > 0; depth++) {
    const next: World[] = [];
    for (const world of level) {
      let afters: World[];
      try {
        afters = successors(world);
      } catch (error) {
        if (error instanceof Violated) return { verdict: 'violation', kind: error.kind, depth, projections };
        throw error;
      }
      if (observe) {
        const from = key(world);
        observe.state(from, factsOf(world));
        for (const after of afters) observe.edge(from, key(after), actors.get(after)!);
      }
      for (const after of afters) {
        const k = key(after);
        if (seen.has(k)) continue;
        seen.add(k);
        projections.add(projection(after));
        const v = stateViolation(after);
        if (v) return { verdict: 'violation', kind: v, depth, projections };
        if (seen.size >= maxStates) return { verdict: 'incomplete', kind: null, depth: null, projections };
        next.push(after);
      }
    }
    level = next;
  }
  return { verdict: 'pass', kind: null, depth: null, projections };
}

/** The step a process stands at (null when it has ended). */
function current(proc: Proc): Position | null {
  const frame = proc.stack[proc.stack.length - 1];
  return frame ? frame.steps[frame.index] : null;
}

/**
 * Pops finished blocks (the caller ends a process whose outermost block is
 * finished), restarts an endless loop's body, and enters a `repeat` it stands
 * at: entering a loop is not a step, the body's first step is.
 */
function normalize(proc: Proc): void {
  for (;;) {
    const top = proc.stack[proc.stack.length - 1];
    if (!top) return;
    if (top.index >= top.steps.length) {
      if (top.forever) top.index = 0;
      else proc.stack.pop();
      continue;
    }
    const at = top.steps[top.index];
    if (at.kind !== 'repeat') return;
    top.index++;
    const test: Position[] = at.until ? [{ kind: 'until', repeat: at, path: `${at.path}#until`, ...(at.label ? { label: at.label } : {}) }] : [];
    proc.stack.push({ steps: [...at.steps, ...test], index: 0, ...(at.until ? {} : { forever: true }) });
  }
}

function inTable(h: Hold | undefined): boolean {
  return h !== undefined && (h.state === 'held' || h.state === 'crashed');
}
