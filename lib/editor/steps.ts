/**
 * Step-list helpers for the operation editor: new steps with sensible
 * defaults taken from the model, the nested blocks each kind may hold, and
 * what a step expression can name.
 */
import type { ModelDocument, Operation, Step } from '@/lib/model';
import { blockKeysOf, everyStepKind, unreachable, type BlockKey, type StepKind } from '@/lib/model/walk';

/** Every step kind, in the order the editor offers them. */
export const STEP_KINDS: ReadonlyArray<StepKind> = everyStepKind([
  'read', 'require', 'cas', 'write', 'if', 'await', 'atomic', 'with', 'acquire', 'release', 'call', 'assert', 'abort', 'return',
]);

export const STEP_HELP: Record<StepKind, string> = {
  read: 'copy shared state into a local',
  if: 'branch on a condition',
  await: 'block until a condition holds',
  require: 'check, or abort',
  write: 'blind write of a field',
  cas: 'test-and-set (UPDATE … WHERE state IN …)',
  atomic: 'several steps as one transaction',
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
      return kind === 'acquire' ? 'if the lock is taken (try)' : 'else';
    case 'steps':
      return kind === 'atomic' ? 'in one transaction' : kind === 'with' ? 'while holding the lock' : 'steps';
    case 'onFail':
      return 'on failure';
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

/** A new step of `kind` that already validates where the model allows it. */
export function newStep(kind: StepKind, doc: ModelDocument, op: Operation): Step {
  const param = op.params.find((p) => doc.resources.some((r) => r.name === p.type));
  const res = param ? doc.resources.find((r) => r.name === param.type) : doc.resources[0];
  const first = res?.states[0]?.name ?? 'available';
  const other = res?.states.find((s) => s.name !== first)?.name ?? first;
  const target = param ? `${param.name}.state` : 'x.state';
  const cond = param ? `${param.name}.state == "${first}"` : 'true';
  const lock = doc.locks[0];
  const lockOn = lock?.key ? { on: paramsOfType(op, lock.key)[0] ?? lock.key.toLowerCase() } : {};
  switch (kind) {
    case 'read':
      return { kind, local: 'status', expr: param ? `${param.name}.state` : 'true' };
    case 'if':
      return { kind, cond, then: [] };
    case 'await':
    case 'require':
      return kind === 'require' ? { kind, cond, message: 'requirement failed' } : { kind, cond };
    case 'write':
      return { kind, target, value: `"${other}"` };
    case 'cas':
      return { kind, target, from: [first], to: other, else: 'abort' };
    case 'atomic':
      return { kind, steps: [{ kind: 'require', cond, message: 'requirement failed' }] };
    case 'acquire':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn };
    case 'release':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn };
    case 'with':
      return { kind, lock: lock?.name ?? 'lock', ...lockOn, steps: [] };
    case 'call':
      return { kind, name: 'driver.call' };
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
