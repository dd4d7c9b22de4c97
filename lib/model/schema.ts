/**
 * The Lockstep model document: one JSON document, validated with zod.
 * Structure only; names, expressions and cross-references are checked by
 * `validate.ts` (which runs this schema first).
 */
import { z } from 'zod';
import { INT32_RANGE_TEXT, MAX_SCHEMA_STEP_ISSUES, outsideInt32 } from './limits';

/** Names used inside expressions (resources, fields, params, instances, locals). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that only appear as labels (locks, operations, invariants, scenarios…) may also use '-'. */
export const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const identifier = z
  .string()
  .regex(IDENTIFIER, 'must start with a letter or _ and contain only letters, digits and _');
const name = z
  .string()
  .regex(NAME, 'must start with a letter or _ and contain only letters, digits, _ and -');
/** An expression in Lockstep's expression language (see expr/parse.ts). */
const expression = z.string().min(1, 'expression is empty');
const literal = z.union([z.string(), z.number().int(), z.boolean()]);
/** An int bound: the checker stores values in 32 bits, so a wider range would wrap and give false verdicts. */
const int32 = (what: 'min' | 'max') =>
  z
    .number()
    .int()
    .refine((v) => !outsideInt32(v), { error: (issue) => `${what} ${String(issue.input)} is outside ${INT32_RANGE_TEXT}` });

export const stateKindSchema = z.enum(['stable', 'transitional', 'terminal', 'error']);

const fieldTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bool') }).strict(),
  z.object({ kind: z.literal('enum'), values: z.array(identifier).min(1) }).strict(),
  z
    .object({ kind: z.literal('int'), min: int32('min'), max: int32('max') })
    .strict()
    .refine((t) => t.max >= t.min && t.max - t.min <= 255, {
      message: 'int range must satisfy min <= max and span at most 256 values',
    }),
  z.object({ kind: z.literal('ref'), resource: identifier }).strict(),
]);

export const resourceSchema = z
  .object({
    name: identifier,
    description: z.string().optional(),
    states: z
      .array(z.object({ name: identifier, kind: stateKindSchema, description: z.string().optional() }).strict())
      .min(1, 'a resource needs at least one state'),
    initial: identifier,
    transitions: z.array(
      z.object({ from: identifier, to: identifier, name: z.string().optional() }).strict(),
    ),
    fields: z
      .array(
        z
          .object({
            name: identifier,
            type: fieldTypeSchema,
            initial: literal.optional(),
            /** A bool a live owner keeps true; the `heartbeatLoss` fault may turn it false while its owner still runs (a slow, not dead, service). */
            heartbeat: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const lockBackendSchema = z.enum([
  'threading',
  'file',
  'zookeeper',
  'etcd',
  'redis',
  'postgres-advisory',
  'db-row',
]);

export const lockSchema = z
  .object({
    name,
    description: z.string().optional(),
    /** Resource type the lock is keyed by (one lock per instance); absent for a global lock. */
    key: identifier.optional(),
    backend: lockBackendSchema.optional(),
    scope: z.enum(['process', 'node', 'cluster']).optional(),
    onCrash: z.enum(['released', 'after-lease', 'never']).optional(),
    leaseCanExpire: z.boolean().optional(),
    fencing: z.boolean().optional(),
  })
  .strict();

export const lockOverrideSchema = lockSchema.pick({
  backend: true,
  scope: true,
  onCrash: true,
  leaseCanExpire: true,
  fencing: true,
});

const labelled = { label: z.string().min(1).optional() };
const lockRef = {
  lock: name,
  /** Expression naming the keyed instance, e.g. `share`; omitted for a global lock. */
  on: expression.optional(),
};

/** One expected value of an update's row: `field op value`. */
export interface UpdateCondition {
  field: string;
  op: '==' | '!=' | 'in' | 'not in';
  value: string;
}

export type StepInput =
  | { kind: 'read'; label?: string; local: string; expr: string }
  | { kind: 'if'; label?: string; cond: string; then: StepInput[]; else?: StepInput[] }
  | { kind: 'await'; label?: string; cond: string }
  | { kind: 'require'; label?: string; cond: string; message?: string }
  | {
      kind: 'write';
      label?: string;
      target: string;
      value: string;
      fencedBy?: { lock: string; on?: string };
      onFail?: StepInput[];
    }
  | {
      kind: 'cas';
      label?: string;
      target: string;
      from: Array<string | number | boolean>;
      to: string | number | boolean;
      else: 'abort' | 'skip' | 'retry';
      message?: string;
    }
  | {
      /** Cinder's conditional_update: one atomic UPDATE of one instance, applied only when every condition holds. */
      kind: 'update';
      label?: string;
      /** Expression denoting the instance updated, e.g. `share`. */
      target: string;
      /** Expected values of the row's own fields (`state` is the lifecycle state); `value` is an expression, a list for `in`/`not in`. */
      where: UpdateCondition[];
      /** Conditions over other instances (Cinder's filters, e.g. no snapshot exists), named so a failure says which. */
      filters?: Array<{ name: string; cond: string }>;
      /** New values, each evaluated on the row as it was before the update (as SQL does). */
      set: Array<{ field: string; value: string }>;
      /** When a condition fails and there is no `onFail`: abort (default), skip, or wait until it matches. */
      else?: 'abort' | 'skip' | 'retry';
      message?: string;
      /** Local set when a condition fails, to the first failing one's name (a where's field or a filter's name). */
      failedAs?: string;
      onFail?: StepInput[];
    }
  | { kind: 'atomic'; label?: string; steps: StepInput[] }
  | {
      kind: 'acquire';
      label?: string;
      lock: string;
      on?: string;
      shared?: boolean;
      try?: boolean;
      /** Seconds to wait (tooz `blocking=seconds`): the checker may give up while another process holds the lock, then runs `else`. */
      timeout?: number;
      else?: StepInput[];
    }
  /** A loop with a real back edge: runs `steps`, then again until `until` holds; without `until` it runs for ever (a daemon). */
  | { kind: 'repeat'; label?: string; steps: StepInput[]; until?: string }
  | { kind: 'release'; label?: string; lock: string; on?: string }
  | { kind: 'with'; label?: string; lock: string; on?: string; shared?: boolean; steps: StepInput[] }
  | { kind: 'call'; label?: string; name: string; long?: boolean; mayFail?: boolean; onFail?: StepInput[] }
  | { kind: 'assert'; label?: string; cond: string; message: string }
  | { kind: 'abort'; label?: string; message: string }
  | { kind: 'return'; label?: string };

/**
 * How the current parse is spending its step budget (see MAX_SCHEMA_STEP_ISSUES).
 * Parsing is synchronous, and `modelSchema` resets this before each document.
 */
const stepBudget = { issues: 0, stepsParsed: 0, stopped: false };

/** What the last `modelSchema` parse did with steps: how many it parsed, how many issues it found in them, whether it stopped early. */
export function lastStepBudget(): { issues: number; stepsParsed: number; stopped: boolean } {
  return { ...stepBudget };
}

/**
 * A list of steps, each step parsed on its own so that parsing can stop once
 * the budget is spent: zod itself would report every issue of every step.
 * Issues keep the path and order zod gives them (they are pushed onto the
 * list's own payload, and enclosing schemas prefix them as usual).
 */
function parseStepList(items: unknown[], ctx: z.core.$RefinementCtx<unknown[]>): StepInput[] {
  const steps: StepInput[] = [];
  for (let i = 0; i < items.length; i++) {
    if (stepBudget.issues >= MAX_SCHEMA_STEP_ISSUES) {
      stepBudget.stopped = true;
      break;
    }
    stepBudget.stepsParsed++;
    const before = stepBudget.issues;
    const result = stepSchema.safeParse(items[i]);
    if (result.success) {
      steps.push(result.data);
      continue;
    }
    // Issues of nested step lists were counted where they were found: count only the rest.
    stepBudget.issues = Math.max(stepBudget.issues, before + result.error.issues.length);
    for (const issue of result.error.issues) {
      ctx.issues.push({ ...issue, path: [i, ...issue.path] } as unknown as (typeof ctx.issues)[number]);
    }
  }
  return steps;
}

const stepList = () => z.array(z.unknown()).transform(parseStepList);
const nonEmptyStepList = () => z.array(z.unknown()).min(1).transform(parseStepList);

export const stepSchema: z.ZodType<StepInput> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('read'), ...labelled, local: identifier, expr: expression }).strict(),
    z
      .object({
        kind: z.literal('if'),
        ...labelled,
        cond: expression,
        then: stepList(),
        else: stepList().optional(),
      })
      .strict(),
    z.object({ kind: z.literal('await'), ...labelled, cond: expression }).strict(),
    z
      .object({ kind: z.literal('require'), ...labelled, cond: expression, message: z.string().optional() })
      .strict(),
    z
      .object({
        kind: z.literal('write'),
        ...labelled,
        target: expression,
        value: expression,
        fencedBy: z.object(lockRef).strict().optional(),
        onFail: stepList().optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('cas'),
        ...labelled,
        target: expression,
        from: z.array(literal).min(1, 'cas needs at least one expected value'),
        to: literal,
        else: z.enum(['abort', 'skip', 'retry']),
        message: z.string().optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('update'),
        ...labelled,
        target: expression,
        where: z.array(
          z.object({ field: identifier, op: z.enum(['==', '!=', 'in', 'not in']), value: expression }).strict(),
        ),
        filters: z.array(z.object({ name: identifier, cond: expression }).strict()).optional(),
        set: z.array(z.object({ field: identifier, value: expression }).strict()).min(1, 'an update sets at least one field'),
        else: z.enum(['abort', 'skip', 'retry']).optional(),
        message: z.string().optional(),
        failedAs: identifier.optional(),
        onFail: stepList().optional(),
      })
      .strict(),
    z.object({ kind: z.literal('atomic'), ...labelled, steps: nonEmptyStepList() }).strict(),
    z
      .object({
        kind: z.literal('acquire'),
        ...labelled,
        ...lockRef,
        shared: z.boolean().optional(),
        try: z.boolean().optional(),
        timeout: z.number().positive('timeout is in seconds and must be more than 0').max(86_400).optional(),
        else: stepList().optional(),
      })
      .strict(),
    z
      .object({ kind: z.literal('repeat'), ...labelled, steps: nonEmptyStepList(), until: expression.optional() })
      .strict(),
    z.object({ kind: z.literal('release'), ...labelled, ...lockRef }).strict(),
    z
      .object({
        kind: z.literal('with'),
        ...labelled,
        ...lockRef,
        shared: z.boolean().optional(),
        steps: stepList(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('call'),
        ...labelled,
        name: z.string().min(1),
        long: z.boolean().optional(),
        mayFail: z.boolean().optional(),
        onFail: stepList().optional(),
      })
      .strict(),
    z.object({ kind: z.literal('assert'), ...labelled, cond: expression, message: z.string() }).strict(),
    z.object({ kind: z.literal('abort'), ...labelled, message: z.string() }).strict(),
    z.object({ kind: z.literal('return'), ...labelled }).strict(),
  ]),
);

export const operationSchema = z
  .object({
    name,
    description: z.string().optional(),
    params: z.array(z.object({ name: identifier, type: identifier }).strict()),
    steps: stepList(),
  })
  .strict();

export const invariantSchema = z
  .object({ name, expr: expression, description: z.string().optional() })
  .strict();

export const violationKindSchema = z.enum([
  'invariant',
  'assertion',
  'illegal-transition',
  'deadlock',
  'stuck-transitional',
  'lock-leak',
  'release-unheld',
  'stale-write',
  'invalid-value',
  /** Liveness: a fair cycle in which some operation process never ends. */
  'non-termination',
  /** Liveness: a fair cycle in which an instance stays in transitional states. */
  'stays-transitional',
]);

export const checksSchema = z
  .object({
    invariants: z.boolean(),
    assertions: z.boolean(),
    illegalTransition: z.boolean(),
    deadlock: z.boolean(),
    stuckTransitional: z.boolean(),
    lockLeak: z.boolean(),
    releaseUnheld: z.boolean(),
    staleWrite: z.boolean(),
    /** Liveness under weak fairness (off unless set): every operation process that can end eventually ends. */
    termination: z.boolean(),
    /** Liveness under weak fairness (off unless set): no instance stays in a transitional state for ever. */
    leavesTransitional: z.boolean(),
  })
  .partial()
  .strict();

/** An operation placed in a scenario: what it runs, on which instances, where. */
const processEntry = {
  name: identifier.optional(),
  operation: name,
  args: z.record(z.string(), identifier),
  node: identifier.optional(),
  /** OS process on that node; processes on one node without one share the node's single OS process. */
  osProcess: identifier.optional(),
};

export const scenarioSchema = z
  .object({
    name,
    description: z.string().optional(),
    nodes: z
      .array(
        z
          .object({ name: identifier, osProcesses: z.array(identifier).optional() })
          .strict(),
      )
      .optional(),
    instances: z
      .array(
        z
          .object({
            name: identifier,
            type: identifier,
            state: identifier.optional(),
            fields: z.record(z.string(), literal).optional(),
          })
          .strict(),
      )
      .min(1, 'a scenario needs at least one instance'),
    processes: z
      .array(z.object({ ...processEntry, count: z.number().int().min(1).max(16).optional() }).strict())
      .min(1, 'a scenario needs at least one process'),
    recovery: z
      .array(
        z
          .object({
            ...processEntry,
            /** The process (by its name) whose crash starts this recovery. */
            after: identifier,
          })
          .strict(),
      )
      .optional(),
    faults: z
      .object({
        crash: z.number().int().min(0).max(8),
        leaseExpiry: z.number().int().min(0).max(8),
        callFailure: z.number().int().min(0).max(8),
        heartbeatLoss: z.number().int().min(0).max(8),
      })
      .partial()
      .strict()
      .optional(),
    checks: checksSchema.optional(),
    /**
     * Per-scenario lock policy: the same operations checked with another lock
     * implementation ("file lock on two nodes" vs "etcd lock on two nodes").
     */
    locks: z.record(z.string(), lockOverrideSchema).optional(),
    invariants: z.array(invariantSchema).optional(),
    expect: z
      .discriminatedUnion('verdict', [
        z.object({ verdict: z.literal('pass') }).strict(),
        z
          .object({
            verdict: z.literal('violation'),
            kind: violationKindSchema,
            /** For invariant/assertion violations: which one. */
            name: z.string().optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export const layoutSchema = z
  .object({
    resources: z
      .record(z.string(), z.record(z.string(), z.object({ x: z.number(), y: z.number() }).strict()))
      .optional(),
  })
  .passthrough();

const modelObjectSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1, 'a model needs a name').max(200),
    description: z.string().max(10_000).optional(),
    resources: z.array(resourceSchema).min(1, 'a model needs at least one resource'),
    locks: z.array(lockSchema).default([]),
    operations: z.array(operationSchema).default([]),
    invariants: z.array(invariantSchema).default([]),
    scenarios: z.array(scenarioSchema).default([]),
    layout: layoutSchema.optional(),
  })
  .strict();

/** The whole document; each parse starts with a fresh step budget. */
export const modelSchema = z.preprocess((input) => {
  stepBudget.issues = 0;
  stepBudget.stepsParsed = 0;
  stepBudget.stopped = false;
  return input;
}, modelObjectSchema);

export type ModelDocument = z.output<typeof modelSchema>;
export type Resource = z.output<typeof resourceSchema>;
export type FieldType = z.output<typeof fieldTypeSchema>;
export type Lock = z.output<typeof lockSchema>;
export type Operation = z.output<typeof operationSchema>;
export type Step = StepInput;
export type Invariant = z.output<typeof invariantSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type StateKind = z.output<typeof stateKindSchema>;
export type ViolationKind = z.output<typeof violationKindSchema>;
export type Checks = Required<z.output<typeof checksSchema>>;
