/** The comment above each generated guard: the step as the model says it, and the isolation it needs and why. */
import type { AnalyzedOperation, AnalyzedStep } from '../model/analyzed';
import { mirroredBlocks, type BlockKey } from '../model/walk';
import type { GuardInfo } from './guard-info';
import { commentLine } from './names';
import { WIDTH, wrap } from './pretty';

/** How a nested block is introduced in the step listing (the first block of a step needs no word). */
const BLOCK_WORDS: Record<BlockKey, string> = { then: '', steps: '', else: 'else', onFail: 'on fail' };

/** The step and its nested steps as the model's pseudo-code, indented by depth. */
function stepLines(steps: readonly AnalyzedStep[], depth: number, out: string[]): void {
  for (const s of steps) {
    const pad = '  '.repeat(depth);
    out.push(`${pad}${commentLine(s.text)}${s.label ? `   # ${commentLine(s.label)}` : ''}`);
    for (const [key, block] of mirroredBlocks(s)) {
      if (!block.length) continue;
      if (BLOCK_WORDS[key]) out.push(`${pad}${BLOCK_WORDS[key]}`);
      stepLines(block, depth + 1, out);
    }
  }
}

const ISOLATION =
  'Serializable means: PostgreSQL BEGIN ISOLATION LEVEL SERIALIZABLE, retried on 40001/40P01; ' +
  'SQLite BEGIN IMMEDIATE; Prisma $transaction with isolationLevel Serializable, retried on P2034.';

/** An update guard's note: one statement, and what its filters over other rows need. */
function updateNote(g: GuardInfo): string {
  const head = [
    "A conditional update (Cinder's conditional_update): one UPDATE statement checks every condition",
    "and sets every field, computing the new values from the row's old ones. When it changes no row",
    'the guard reads the row once and reports each failed condition with its expected and actual values.',
  ];
  if (g.plan.readsOtherRows) {
    const other = [...g.plan.reads].filter((r) => !g.plan.writes.has(r)).sort();
    const rows = other.length ? `${other.join(', ')} rows` : 'other rows of the same table';
    return [
      ...head,
      `Its filters read ${rows}, and one statement does not make that atomic: at READ COMMITTED`,
      "PostgreSQL evaluates a filter on the statement's snapshot, so a transaction that inserts or",
      'changes such a row concurrently can commit beside it, even one that locked this row FOR SHARE',
      'first (Lockstep\'s tests/codegen/update-race.test.ts shows it on PostgreSQL). It runs SERIALIZABLE, and every',
      `transaction that writes ${rows} must run SERIALIZABLE too. At READ COMMITTED instead, lock`,
      'this row FOR UPDATE in a statement before the UPDATE, and have every writer of those rows lock',
      'it FOR SHARE and re-check it before writing.',
      ISOLATION,
    ].join(' ');
  }
  return [
    ...head,
    'No other writer slips in between. It still runs in a serializable transaction, because PostgreSQL',
    'only detects a conflict with a transaction guard that read this row when both are serializable.',
    ISOLATION,
  ].join(' ');
}

/** Where the guard sits in a loop of the operation: the loop is the caller's code. */
function loopNote(g: GuardInfo): string | null {
  if (!g.loops.length) return null;
  const loops = g.loops.map((l) => `${commentLine(l.text)} (${l.path})`).join(', inside ');
  return `It runs inside ${loops}: the caller loops and calls this guard on every pass.`;
}

/** What the guard needs of the database and why, as one paragraph of sentences. */
function isolationNote(g: GuardInfo): string {
  if (g.step.kind === 'update') return updateNote(g);
  if (g.step.kind === 'write') {
    const lock = commentLine(g.step.fencedBy?.lock ?? '');
    return [
      'A fenced write: one conditional UPDATE that also stores the token.',
      `It is refused when the row already accepted a higher token of ${lock}`,
      "(the caller's lease expired and a newer holder wrote).",
      `Pass the token your ${lock} provider handed out (inside withLocks: \`held.token(lock, on)\`).`,
      'It runs in a serializable transaction like every guard.',
      ISOLATION,
    ].join(' ');
  }
  const tables = [...new Set([...g.plan.reads, ...g.plan.writes])].sort().join(', ');
  if (g.plan.readsOtherRows) {
    const other = [...g.plan.reads].filter((r) => !g.plan.writes.has(r)).sort();
    const rows = other.length ? `${other.join(', ')} rows` : 'other rows of the same tables';
    return [
      `Transaction guard over ${tables}.`,
      `It needs SERIALIZABLE isolation because it checks rows it does not write (${rows}).`,
      'Under READ COMMITTED or REPEATABLE READ another transaction can change those rows between',
      'this check and this write, and both commit (write skew). The model assumes the whole step is',
      'atomic, and only serializable isolation makes it so.',
      ISOLATION,
    ].join(' ');
  }
  if (g.plan.rowsWritten > 1) {
    return [
      `Transaction guard writing ${g.plan.rowsWritten} rows (${tables}) together: a transaction makes them`,
      'land all or none. Any isolation level gives that; it runs serializable like every guard.',
      ISOLATION,
    ].join(' ');
  }
  return [
    'A conditional update of one row: the database checks and writes it in one statement, so no',
    'other writer slips in between. It still runs in a serializable transaction, because PostgreSQL',
    'only detects a conflict with a transaction guard that read this row when both are serializable.',
    ISOLATION,
  ].join(' ');
}

/** The guard's doc comment. */
export function guardDoc(g: GuardInfo, op: AnalyzedOperation): string[] {
  const lines: string[] = [];
  stepLines([g.step], 0, lines);
  const loop = loopNote(g);
  const result =
    g.step.kind === 'update'
      ? [
          ' * Resolves `{ changed: false, failed }` (nothing changed) when a condition fails; its `outcome`',
          ` * is what the model does next (${g.step.onFail ? 'run its onFail steps' : g.step.else}).`,
        ]
      : [' * Resolves `{ ok: false }` (nothing changed) when the step would not happen.'];
  return [
    '/**',
    ` * ${commentLine(op.name)} › ${commentLine(g.step.label ?? g.step.where)} (${g.step.path}):`,
    ' *',
    ...lines.map((l) => ` *     ${l}`),
    ' *',
    ...wrap(isolationNote(g), WIDTH - 3).map((l) => ` * ${l}`),
    ...(loop ? wrap(loop, WIDTH - 3).map((l) => ` * ${l}`) : []),
    ...result,
    ' */',
  ];
}
