/**
 * Compiles an analyzed model and one of its scenarios into a transition
 * system: a state layout, one program per process with its expressions
 * compiled to closures, the invariants, the symmetry groups and the initial
 * state. The explorer, the random simulator and the manual simulator all run
 * on this through `semantics.ts`.
 */
import { forEachAnalyzedStep, type AnalyzedModel, type AnalyzedOperation, type AnalyzedScenario, type AnalyzedStep, type LValue, type LockUse } from '../model/analyzed';
import { lockPolicy, type LockPolicy, type ResourceInfo } from '../model/catalog';
import type { Checks } from '../model/schema';
import { forEachAt, type Type, type Typed } from '../model/expr/types';
import { encodeLiteral } from '../model/expr/typecheck';
import { compileExpr, type Eval, type ExprEnv } from './compile-expr';
import { DORMANT, RUNNING, SlotAllocator } from './layout';
import { unreachable } from '../model/walk';
import { compileInstructions, type CompiledInstr, type CompiledTarget } from './instructions';
import { flatten } from './program';

export type { CompiledInstr, CompiledTarget } from './instructions';

export interface CheckOptions {
  /** Treat identical processes as interchangeable (default on). */
  symmetry?: boolean;
  /** Run steps that touch only locals together with the step before them (default on). */
  mergeLocalSteps?: boolean;
}

export interface InstanceInfo {
  index: number;
  name: string;
  resource: ResourceInfo;
  /** allowed[from * states + to] is 1 when the machine has that edge. */
  allowed: Uint8Array;
  /** Slot of `state`; field k follows at base + offset. */
  base: number;
}

export interface LockKey {
  id: number;
  policy: LockPolicy;
  /** Instance index, or -1 for a global lock. */
  instance: number;
  name: string;
}

export interface CompiledLockUse {
  lockName: string;
  /** Lock keys by instance index (a single entry at -1 for a global lock). */
  keyOf: (s: Int32Array) => LockKey;
}

export interface ProcessInfo {
  index: number;
  name: string;
  operation: AnalyzedOperation;
  args: Map<string, number>;
  node: string;
  osProcess: string;
  /** Domain per scope: which lock instance this process contends for. */
  domain: { process: number; node: number; cluster: number };
  isRecovery: boolean;
  /** For a recovery process: indices of the processes whose crash starts it. */
  triggers: number[];
  /** Process indices whose crash starts a recovery: used to wake them. */
  blockStart: number;
  blockSize: number;
  statusSlot: number;
  pcSlot: number;
  locals: Map<string, number>;
  /** Lock key id → slot holding this process's hold on it. */
  holds: Map<number, number>;
  /** Lock key id → slot holding its fencing token. */
  tokens: Map<number, number>;
  /**
   * `with` step → slot remembering which instance (+1) it locked, for a `with`
   * whose key expression could name another instance by the time it releases.
   */
  withKeys: Map<AnalyzedStep, number>;
  program: CompiledInstr[];
  /** What the process's expressions' names mean (specialize.ts writes them as source with it). */
  env: ExprEnv | null;
}

export interface CompiledInvariant {
  name: string;
  source: string;
  eval: Eval;
  /** The expression and its environment (specialize.ts writes it as source). */
  expr: Typed;
  env: ExprEnv;
}

export interface System {
  model: AnalyzedModel;
  scenario: AnalyzedScenario;
  size: number;
  slotNames: string[];
  slotRanges: Array<{ min: number; max: number }>;
  instances: InstanceInfo[];
  lockKeys: LockKey[];
  processes: ProcessInfo[];
  invariants: CompiledInvariant[];
  checks: Checks;
  budgets: { crash: number; leaseExpiry: number; callFailure: number; heartbeatLoss: number };
  /** Slots holding the remaining fault budgets (-1 when the fault is off). */
  budgetSlots: { crash: number; leaseExpiry: number; callFailure: number; heartbeatLoss: number };
  /** Every instance's `heartbeat: true` field (what the heartbeatLoss fault may turn false), in instance then field order. */
  heartbeats: Array<{ slot: number; name: string; instance: number }>;
  /** (lock key id, domain) → slot of the next fencing token. */
  tokenCounterSlot(lockKey: number, domain: number): number;
  /** (fencing lock name, instance) → slot of the highest token the instance accepted. */
  fenceSlot(lockName: string, instance: number): number;
  /** The first slot after instance fields and fencing high-water marks: what an atomic rollback restores. */
  sharedEnd: number;
  /** Groups of interchangeable processes (only when symmetry is on), each of size >= 2. */
  symmetryGroups: number[][];
  initial: Int32Array;
}

const ALL_CHECKS: Checks = {
  invariants: true,
  assertions: true,
  illegalTransition: true,
  deadlock: true,
  stuckTransitional: true,
  lockLeak: true,
  releaseUnheld: true,
  staleWrite: true,
  // Liveness needs a second search over the whole graph: off unless the scenario asks (liveness.ts).
  termination: false,
  leavesTransitional: false,
};

export class CompileError extends Error {}

export function compileSystem(model: AnalyzedModel, scenarioName: string, options: CheckOptions = {}): System {
  const scenario = model.scenarios.find((s) => s.source.name === scenarioName);
  if (!scenario) throw new CompileError(`no scenario called '${scenarioName}'`);
  return new SystemCompiler(model, scenario, options).compile();
}

class SystemCompiler {
  private readonly slots = new SlotAllocator();
  private readonly src;
  private readonly instances: InstanceInfo[] = [];
  private readonly instanceIndex = new Map<string, number>();
  private readonly policies = new Map<string, LockPolicy>();
  private readonly lockKeys: LockKey[] = [];
  private readonly lockKeyIndex = new Map<string, number>();
  private readonly processes: ProcessInfo[] = [];
  private readonly fieldOffsets = new Map<string, number>();
  private readonly tokenCounters = new Map<string, number>();
  private readonly fences = new Map<string, number>();
  private osProcessIds = new Map<string, number>();
  private maxToken = 1;
  private nodeIds = new Map<string, number>();

  constructor(
    private readonly model: AnalyzedModel,
    private readonly scenario: AnalyzedScenario,
    private readonly options: CheckOptions,
  ) {
    this.src = scenario.source;
  }

  compile(): System {
    const catalog = this.model.catalog;
    // Lock policies, with the scenario's overrides.
    for (const lock of this.model.document.locks) {
      // Own keys only: a lock called 'toString' or 'constructor' has no override from Object.prototype.
      const override = this.src.locks && Object.hasOwn(this.src.locks, lock.name) ? this.src.locks[lock.name] : undefined;
      this.policies.set(lock.name, lockPolicy(lock, override));
    }
    // Instances and their fields.
    for (const resource of catalog.resources.values()) {
      [...resource.fields.keys()].forEach((field, offset) => this.fieldOffsets.set(`${resource.name}.${field}`, offset));
    }
    this.src.instances.forEach((inst, index) => {
      const resource = catalog.resources.get(inst.type)!;
      let base = -1;
      for (const [field, type] of resource.fields) {
        const [min, max] = rangeOf(type, this.src.instances.length);
        const slot = this.slots.allocate(`${inst.name}.${field}`, min, max);
        if (base < 0) base = slot;
      }
      const n = resource.states.length;
      const allowed = new Uint8Array(n * n);
      resource.states.forEach((from, f) => resource.states.forEach((to, t) => (allowed[f * n + t] = resource.edges.has(`${from}->${to}`) ? 1 : 0)));
      this.instances.push({ index, name: inst.name, resource, base, allowed });
      this.instanceIndex.set(inst.name, index);
    });
    // Lock keys: one per lock per instance of its key type (one for a global lock).
    for (const policy of this.policies.values()) {
      const keys = policy.key ? this.instances.filter((i) => i.resource.name === policy.key).map((i) => i.index) : [-1];
      for (const instance of keys) {
        const id = this.lockKeys.length;
        const name = instance < 0 ? policy.name : `${policy.name}(${this.instances[instance].name})`;
        this.lockKeys.push({ id, policy, instance, name });
        this.lockKeyIndex.set(`${policy.name}#${instance}`, id);
      }
    }
    this.placeProcesses();
    // Tokens never exceed the number of acquires that can happen (a fencing lock is never acquired inside a repeat: LS242): that bound packs states safely.
    const maxToken = Math.max(1, this.processes.reduce((n, p) => n + flatten(p.operation.steps).filter((i) => i.kind === 'acquire').length, 0));
    this.maxToken = maxToken;
    // Fencing: highest accepted token per (fencing lock, instance); next token per (lock key, domain).
    for (const policy of this.policies.values()) {
      if (!policy.fencing) continue;
      for (const inst of this.instances) this.fences.set(`${policy.name}#${inst.index}`, this.slots.allocate(`fence ${policy.name} on ${inst.name}`, 0, maxToken));
    }
    const sharedEnd = this.slots.size;
    for (const key of this.lockKeys) {
      if (!key.policy.fencing) continue;
      for (const domain of this.domainsOf(key.policy)) {
        this.tokenCounters.set(`${key.id}@${domain}`, this.slots.allocate(`next token ${key.name}@${domain}`, 0, maxToken));
      }
    }
    const faults = this.src.faults ?? {};
    const budgets = { crash: faults.crash ?? 0, leaseExpiry: faults.leaseExpiry ?? 0, callFailure: faults.callFailure ?? 0, heartbeatLoss: faults.heartbeatLoss ?? 0 };
    const budgetSlots = {
      crash: budgets.crash > 0 ? this.slots.allocate('crashes left', 0, budgets.crash) : -1,
      leaseExpiry: budgets.leaseExpiry > 0 ? this.slots.allocate('lease expiries left', 0, budgets.leaseExpiry) : -1,
      callFailure: budgets.callFailure > 0 ? this.slots.allocate('call failures left', 0, budgets.callFailure) : -1,
      heartbeatLoss: budgets.heartbeatLoss > 0 ? this.slots.allocate('heartbeat losses left', 0, budgets.heartbeatLoss) : -1,
    };
    const heartbeats = this.heartbeatFields();
    this.allocateProcessBlocks();
    const env = this.invariantEnv();
    const invariants: CompiledInvariant[] = [...this.model.invariants, ...this.scenario.invariants].map((inv) => ({
      name: inv.name,
      source: inv.source,
      eval: compileExpr(inv.expr, env),
      expr: inv.expr,
      env,
    }));
    // Operations whose positions an invariant observes cannot have their local steps merged.
    const observed = new Set<string>();
    for (const inv of [...this.model.invariants, ...this.scenario.invariants]) forEachAt(inv.expr, (op) => observed.add(op));
    for (const proc of this.processes) proc.program = this.compileProgram(proc, observed, budgets.callFailure > 0);

    const system: System = {
      model: this.model,
      scenario: this.scenario,
      size: this.slots.size,
      slotNames: this.slots.names,
      slotRanges: this.slots.ranges,
      instances: this.instances,
      lockKeys: this.lockKeys,
      processes: this.processes,
      invariants,
      checks: { ...ALL_CHECKS, ...(this.src.checks ?? {}) },
      budgets,
      budgetSlots,
      heartbeats,
      tokenCounterSlot: (lockKey, domain) => this.tokenCounters.get(`${lockKey}@${domain}`)!,
      fenceSlot: (lockName, instance) => this.fences.get(`${lockName}#${instance}`)!,
      sharedEnd,
      symmetryGroups: this.options.symmetry === false ? [] : this.symmetryGroups(),
      initial: new Int32Array(0),
    };
    system.initial = this.initialState(system);
    return system;
  }

  /** The `heartbeat: true` fields of every instance: slot, `instance.field`, instance index. */
  private heartbeatFields(): System['heartbeats'] {
    const out: System['heartbeats'] = [];
    const byResource = new Map(this.model.document.resources.map((r) => [r.name, new Set((r.fields ?? []).filter((f) => f.heartbeat).map((f) => f.name))]));
    for (const inst of this.instances) {
      const marked = byResource.get(inst.resource.name);
      if (!marked || marked.size === 0) continue;
      [...inst.resource.fields.keys()].forEach((field, offset) => {
        if (marked.has(field)) out.push({ slot: inst.base + offset, name: `${inst.name}.${field}`, instance: inst.index });
      });
    }
    // A move names its field in 8 bits.
    if (out.length > 255) throw new CompileError(`${out.length} heartbeat fields: at most 255 per scenario`);
    return out;
  }

  private domainsOf(policy: LockPolicy): number[] {
    const count = policy.scope === 'process' ? this.osProcessIds.size : policy.scope === 'node' ? this.nodeIds.size : 1;
    return Array.from({ length: count }, (_, i) => i);
  }

  private placeProcesses(): void {
    const defaultNode = this.src.nodes?.[0]?.name ?? 'node';
    const entries = [
      ...this.src.processes.map((p) => ({ ...p, after: undefined as string | undefined, recovery: false })),
      ...(this.src.recovery ?? []).map((p) => ({ ...p, count: 1, recovery: true })),
    ];
    const byEntryName = new Map<string, number[]>();
    for (const entry of entries) {
      const operation = this.model.operations.get(entry.operation)!;
      const node = entry.node ?? defaultNode;
      const osProcess = `${node}/${entry.osProcess ?? 'main'}`;
      if (!this.nodeIds.has(node)) this.nodeIds.set(node, this.nodeIds.size);
      if (!this.osProcessIds.has(osProcess)) this.osProcessIds.set(osProcess, this.osProcessIds.size);
      const count = entry.count ?? 1;
      const baseName = entry.name ?? entry.operation;
      const indices: number[] = [];
      for (let copy = 0; copy < count; copy++) {
        const args = new Map(Object.entries(entry.args).map(([param, inst]) => [param, this.instanceIndex.get(inst)!]));
        const index = this.processes.length;
        indices.push(index);
        this.processes.push({
          index,
          name: count > 1 ? `${baseName}#${copy + 1}` : baseName,
          operation,
          args,
          node,
          osProcess,
          domain: { process: this.osProcessIds.get(osProcess)!, node: this.nodeIds.get(node)!, cluster: 0 },
          isRecovery: entry.recovery,
          triggers: entry.after !== undefined ? (byEntryName.get(entry.after) ?? []) : [],
          blockStart: 0,
          blockSize: 0,
          statusSlot: 0,
          pcSlot: 0,
          locals: new Map(),
          holds: new Map(),
          tokens: new Map(),
          withKeys: new Map(),
          program: [],
          env: null,
        });
      }
      byEntryName.set(baseName, indices);
    }
  }

  private allocateProcessBlocks(): void {
    for (const proc of this.processes) {
      proc.blockStart = this.slots.size;
      const steps = countSteps(proc.operation.steps);
      proc.statusSlot = this.slots.allocate(`${proc.name}.status`, 0, 4);
      proc.pcSlot = this.slots.allocate(`${proc.name}.pc`, 0, Math.max(1, steps * 2));
      for (const [local, type] of proc.operation.locals) {
        const [min, max] = rangeOf(type, this.instances.length);
        // A local is 0 before its read and once its process ends: the packed store must hold 0 too.
        proc.locals.set(local, this.slots.allocate(`${proc.name}.${local}`, Math.min(min, 0), Math.max(max, 0)));
      }
      // Right after the locals, so clearing a finished process's locals clears these too.
      forEachAnalyzedStep(proc.operation.steps, (step) => {
        if (step.kind === 'with' && step.on && !(step.on.kind === 'param' || step.on.kind === 'instance' || step.on.kind === 'const')) {
          proc.withKeys.set(step, this.slots.allocate(`${proc.name} locked by ${step.where}`, 0, this.instances.length));
        }
      });
      // Holds for every key of every lock the operation names.
      const lockNames = new Set<string>();
      visitLockUses(proc.operation.steps, (use) => lockNames.add(use.lock));
      for (const key of this.lockKeys) {
        if (!lockNames.has(key.policy.name)) continue;
        proc.holds.set(key.id, this.slots.allocate(`${proc.name} holds ${key.name}`, 0, 6));
        if (key.policy.fencing) proc.tokens.set(key.id, this.slots.allocate(`${proc.name} token ${key.name}`, 0, this.maxToken));
      }
      proc.blockSize = this.slots.size - proc.blockStart;
    }
  }

  private fieldOffset = (resource: string, field: string): number => this.fieldOffsets.get(`${resource}.${field}`)!;

  private baseEnv(): Omit<ExprEnv, 'params' | 'locals'> {
    const instanceBase = Int32Array.from(this.instances.map((i) => i.base));
    return {
      instances: this.instanceIndex,
      instanceBase,
      fieldOffset: this.fieldOffset,
      instancesOf: (resource) => this.instances.filter((i) => i.resource.name === resource).map((i) => i.index),
      positions: (operation, label) => {
        const procs = this.processes.filter((p) => p.operation.name === operation);
        const program = procs[0] ? flatten(procs[0].operation.steps) : [];
        const pc = program.findIndex((instr) => instr.step.label === label && !instr.closesWith);
        return { slots: procs.map((p) => [p.statusSlot, p.pcSlot] as [number, number]), pc };
      },
      holdSlots: (lock, key) => {
        const id = this.lockKeyIndex.get(`${lock}#${key}`);
        if (id === undefined) return [];
        return this.processes.flatMap((p) => (p.holds.has(id) ? [p.holds.get(id)!] : []));
      },
      tokenSlot: () => -1, // no process: compileProgram binds its own
      fenceSlot: (lock, instance) => this.fences.get(`${lock}#${instance}`) ?? -1,
      instanceCount: this.instances.length,
    };
  }

  private invariantEnv(): ExprEnv {
    return { ...this.baseEnv(), params: new Map(), locals: new Map() };
  }

  private compileProgram(proc: ProcessInfo, observed: Set<string>, callsCanFail: boolean): CompiledInstr[] {
    const tokenSlot = (lock: string, key: number) => {
      const id = this.lockKeyIndex.get(`${lock}#${key}`);
      return id === undefined ? -1 : (proc.tokens.get(id) ?? -1);
    };
    const env: ExprEnv = { ...this.baseEnv(), params: proc.args, locals: proc.locals, tokenSlot };
    proc.env = env;
    const ev = (e: Typed) => compileExpr(e, env);
    const lockUse = (use: LockUse): CompiledLockUse => {
      const policy = this.policies.get(use.lock)!;
      if (use.on === null) {
        const key = this.lockKeys[this.lockKeyIndex.get(`${use.lock}#-1`)!];
        return { lockName: use.lock, keyOf: () => key };
      }
      const byInstance = new Map<number, LockKey>();
      for (const key of this.lockKeys) if (key.policy === policy) byInstance.set(key.instance, key);
      const on = ev(use.on);
      return { lockName: use.lock, keyOf: (s) => byInstance.get(on(s))! };
    };
    const target = (lv: LValue): CompiledTarget => ({
      instance: ev(lv.object),
      object: lv.object,
      offset: this.fieldOffset(lv.resource, lv.field),
      field: lv.field,
      resource: lv.resource,
      type: lv.type,
      isState: lv.field === 'state',
    });
    const faults = this.src.faults ?? {};
    return compileInstructions(proc.operation.steps, {
      ev,
      target,
      lockUse,
      fencing: (lock) => this.policies.get(lock)!.fencing,
      lockKeysOf: (lock) => this.lockKeys.filter((k) => k.policy.name === lock),
      locals: proc.locals,
      withKeys: proc.withKeys,
      merge: this.options.mergeLocalSteps !== false && !observed.has(proc.operation.name),
      callsCanFail,
      endsObservable: (faults.crash ?? 0) > 0 || (faults.leaseExpiry ?? 0) > 0,
    });
  }

  /** Processes with the same operation, arguments, placement and trigger are interchangeable. */
  private symmetryGroups(): number[][] {
    const groups = new Map<string, number[]>();
    for (const proc of this.processes) {
      const key = JSON.stringify([proc.operation.name, [...proc.args], proc.osProcess, proc.isRecovery, proc.triggers]);
      groups.set(key, [...(groups.get(key) ?? []), proc.index]);
    }
    // A process that starts a recovery is singled out by it, unless the trigger covers its whole group.
    const triggerSets = this.processes.filter((p) => p.isRecovery).map((p) => JSON.stringify(p.triggers));
    return [...groups.values()].filter(
      (group) => group.length > 1 && group.every((p) => !this.processes.some((r) => r.triggers.includes(p)) || triggerSets.includes(JSON.stringify(group))),
    );
  }

  private initialState(system: System): Int32Array {
    const s = new Int32Array(system.size);
    for (const inst of this.instances) {
      const src = this.src.instances[inst.index];
      const resource = inst.resource;
      let offset = 0;
      for (const [field, type] of resource.fields) {
        const slot = inst.base + offset++;
        if (field === 'state') {
          s[slot] = src.state !== undefined ? resource.states.indexOf(src.state) : resource.initial;
          continue;
        }
        const value = (src.fields && Object.hasOwn(src.fields, field) ? src.fields[field] : undefined) ?? resource.fieldInitials.get(field);
        if (type.kind === 'ref') {
          const name = value !== undefined ? String(value) : this.instances.find((i) => i.resource.name === type.resource)?.name;
          s[slot] = this.instanceIndex.get(name ?? '') ?? 0;
        } else if (value !== undefined) {
          s[slot] = encodeLiteral(value, type);
        } else {
          s[slot] = type.kind === 'int' ? Math.max(type.min, Math.min(0, type.max)) : 0;
        }
      }
    }
    for (const [key, slot] of Object.entries(system.budgetSlots)) {
      if (slot >= 0) s[slot] = system.budgets[key as keyof System['budgets']];
    }
    for (const proc of this.processes) {
      s[proc.statusSlot] = proc.isRecovery ? DORMANT : RUNNING;
      if (proc.program.length === 0) s[proc.statusSlot] = proc.isRecovery ? DORMANT : 2;
    }
    return s;
  }
}

function rangeOf(type: Type, instances: number): [number, number] {
  switch (type.kind) {
    case 'bool':
      return [0, 1];
    case 'int':
      return [type.min, type.max];
    case 'enum':
      return [0, type.values.length - 1];
    case 'ref':
      return [0, Math.max(0, instances - 1)];
    default:
      return unreachable(type, 'type');
  }
}

function countSteps(steps: AnalyzedStep[]): number {
  return flatten(steps).length;
}

function visitLockUses(steps: AnalyzedStep[], visit: (use: LockUse) => void): void {
  forEachAnalyzedStep(steps, (step) => {
    if (step.kind === 'acquire' || step.kind === 'release' || step.kind === 'with') visit(step);
    if (step.kind === 'write' && step.fencedBy) visit(step.fencedBy);
  });
}

