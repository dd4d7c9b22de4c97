/**
 * Step-list helpers for the operation editor: new steps with sensible
 * defaults taken from the model, the nested blocks each kind may hold, and
 * what a step expression can name.
 */
import type { ModelDocument, Operation, Step } from '@/lib/model';
import type { ListSlot } from './actions';
import { stepsBefore } from './steps-before';
import { suggestMove } from './step-context';
import { blockKeysOf, everyStepKind, unreachable, type BlockKey, type StepKind } from '@/lib/model/walk';

/** Every step kind, in the order the editor offers them. */
export const STEP_KINDS: ReadonlyArray<StepKind> = everyStepKind([
  'read', 'require', 'cas', 'update', 'write', 'if', 'await', 'repeat', 'atomic', 'with', 'acquire', 'release', 'call', 'assert', 'abort', 'return',
]);

export const STEP_HELP: Record<StepKind, string> = {
  read: 'copy shared state into a local',
  if: 'branch on a condition',
  await: 'block until a condition holds',
  require: 'check, or abort',
  write: 'blind write of a field',
  cas: 'test-and-set (UPDATE … WHERE state IN …)',
  update: 'conditional update of several fields (UPDATE … SET … WHERE … AND NOT EXISTS …), like Cinder’s conditional_update',
  atomic: 'several steps as one transaction',
  repeat: 'loop: run steps again until a condition holds, or for ever (a daemon)',
  acquire: 'take a lock',
  release: 'give a lock back',
  with: 'hold a lock around a block',
  call: 'external call (driver, RPC, disk)',
  assert: 'safety property at this point',
  abort: 'end the operation, failed',
  return: 'end the operation, done',
};

/** The nested blocks a step of this kind can have, with the label shown for each. */
export function blocksOf(kind: StepKind): Array<{ key: BlockKey; label: string; optional: boolean }> {
  return blockKeysOf(kind).map((key) => ({ key, label: blockLabel(kind, key), optional: OPTIONAL_BLOCKS.has(key) }));
}

/** Blocks a step may leave out (the schema requires `then` and `steps`). */
const OPTIONAL_BLOCKS = new Set<BlockKey>(['else', 'onFail']);

function blockLabel(kind: StepKind, key: BlockKey): string {
  switch (key) {
    case 'then':
      return 'then';
    case 'else':
      return kind === 'acquire' ? 'if the lock is taken (try or timeout)' : 'else';
    case 'steps':
      return kind === 'atomic' ? 'in one transaction' : kind === 'with' ? 'while holding the lock' : kind === 'repeat' ? 'each round' : 'steps';
    case 'onFail':
      return kind === 'update' ? 'if a condition fails (instead of else)' : 'on failure';
    default:
      return unreachable(key, 'block key');
  }
}

/** `param.state`, `param.field`… for every parameter of the operation: what a target can be. */
export function fieldTargets(doc: ModelDocument, op: Operation): string[] {
  const out: string[] = [];
  for (const p of op.params) {
    const res = doc.resources.find((r) => r.name === p.type);
    if (!res) continue;
    out.push(`${p.name}.state`);
    for (const f of res.fields ?? []) out.push(`${p.name}.${f.name}`);
  }
  return out;
}

/** The states a target like `share.state` can take, when it names a parameter's state. */
export function statesOfTarget(doc: ModelDocument, op: Operation, target: string): string[] | null {
  const m = /^\s*([A-Za-z_]\w*)\.state\s*$/.exec(target);
  if (!m) return null;
  const type = op.params.find((p) => p.name === m[1])?.type;
  const res = doc.resources.find((r) => r.name === type);
  return res ? res.states.map((s) => s.name) : null;
}

/** Parameters whose type is `resource` (for a keyed lock's `on`). */
export function paramsOfType(op: Operation, resource: string | undefined): string[] {
  return resource ? op.params.filter((p) => p.type === resource).map((p) => p.name) : [];
}

/** `deleteShare` → `delete_share`: the driver call an operation most likely makes. */
export function callNameFor(op: Operation): string {
  // A duplicated variant ("deleteShare_copy") makes the same call as its original.
  const snake = op.name.replace(/[_-]copy(?:[_-]\d+)?$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
  return `driver.${snake || 'call'}`;
}

/** The nearest `read x = …` that runs before a step inserted at `at`. */
export function localReadBefore(doc: ModelDocument, at: ListSlot): Extract<Step, { kind: 'read' }> | null {
  for (const step of stepsBefore(doc, at)) if (step.kind === 'read') return step;
  return null;
}

/** A condition on the local `x` that type-checks, from what it was read from (`share.state` → `x == "available"`). */
function conditionOnLocal(doc: ModelDocument, op: Operation, read: Extract<Step, { kind: 'read' }>): string | null {
  const m = /^\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*$/.exec(read.expr);
  if (!m) return null;
  const res = doc.resources.find((r) => r.name === op.params.find((p) => p.name === m[1])?.type);
  if (!res) return null;
  if (m[2] === 'state') return `${read.local} == "${res.states[0]?.name ?? res.initial}"`;
  const field = res.fields?.find((f) => f.name === m[2]);
  switch (field?.type.kind) {
    case 'bool':
      return read.local;
    case 'enum':
      return `${read.local} == "${field.type.values[0]}"`;
    case 'int':
      return `${read.local} == ${field.type.min}`;
    default:
      return null;
  }
}

/**
 * A new step of `kind` that already validates where the model allows it.
 * Given where it goes (`at`), a condition uses the local read just before
 * (`read status = share.state` → `require status == "available"`).
 */
export function newStep(kind: StepKind, doc: ModelDocument, op: Operation, at?: ListSlot): Step {
  const param = op.params.find((p) => doc.resources.some((r) => r.name === p.type));
  const res = param ? doc.resources.find((r) => r.name === param.type) : doc.resources[0];
  const first = res?.states[0]?.name ?? 'available';
  const other = res?.states.find((s) => s.name !== first)?.name ?? first;
  const target = param ? `${param.name}.state` : 'x.state';
  const read = at ? localReadBefore(doc, at) : null;
  const shared = param ? `${param.name}.state == "${first}"` : 'true';
  const cond = (read && conditionOnLocal(doc, op, read)) ?? shared;
  const lock = doc.locks[0];
  // Where the earlier steps left a resource: a write or cas moves it on from there.
  const move = at ? suggestMove(doc, op, at) : null;
  const lockOn = lock?.key ? { on: paramsOfType(op, lock.key)[0] ?? lock.key.toLowerCase() } : {};
  switch (kind) {
    case 'read':
      return { kind, local: 'status', expr: param ? `${param.name}.state` : 'true' };
    case 'if':
      return { kind, cond, then: [] };
    case 'await':
      // A local never changes while a process waits: await the shared state.
      return { kind, cond: shared };
    case 'require':
      return { kind, cond, message: 'requirement failed' };
    case 'write':
      return move ? { kind, target: `${move.param}.state`, value: `"${move.to}"` } : { kind, target, value: `"${other}"` };
    case 'cas':
      return move ? { kind, target: `${move.param}.state`, from: [move.from], to: move.to, else: 'abort' } : { kind, target, from: [first], to: other, else: 'abort' };
    case 'update': {
      // The first transition of the machine: a legal move from a state the update accepts.
      const edge = res?.transitions[0] ?? { from: first, to: other };
      return {
        kind,
        target: param?.name ?? 'x',
        where: [{ field: 'state', op: '==', value: `"${edge.from}"` }],
        set: [{ field: 'state', value: `"${edge.to}"` }],
      };
    }
    case 'atomic':
      return { kind, steps: [{ kind: 'require', cond, message: 'requirement failed' }] };
    case 'repeat':
      // A poller: read the state each round until it is the first one (the body may not be empty).
      return param
        ? { kind, steps: [{ kind: 'read', local: 'status', expr: `${param.name}.state` }], until: `status == "${first}"` }
        : { kind, steps: [{ kind: 'call', name: callNameFor(op) }], until: 'true' };
    case 'acquire':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn };
    case 'release':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn };
    case 'with':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn, steps: [] };
    case 'call':
      return { kind, name: callNameFor(op) };
    case 'assert':
      return { kind, cond, message: 'assertion failed' };
    case 'abort':
      return { kind, message: 'failed' };
    case 'return':
      return { kind };
    default:
      return unreachable(kind, 'step kind');
  }
}
