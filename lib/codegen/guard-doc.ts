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

/** What the guard needs of the database and why, as one paragraph of sentences. */
function isolationNote(g: GuardInfo): string {
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
  return [
    '/**',
    ` * ${commentLine(op.name)} › ${commentLine(g.step.label ?? g.step.where)} (${g.step.path}):`,
    ' *',
    ...lines.map((l) => ` *     ${l}`),
    ' *',
    ...wrap(isolationNote(g), WIDTH - 3).map((l) => ` * ${l}`),
    ' * Resolves `{ ok: false }` (nothing changed) when the step would not happen.',
    ' */',
  ];
}
