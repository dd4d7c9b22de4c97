/** One-line and whole-operation pseudo-code for steps: used by traces, the CLI and the editor's read-only view. */
import type { Operation, Step } from './schema';
import { childBlocks, unreachable } from './walk';

function lockText(lock: string, on?: string): string {
  return on ? `${lock}(${on})` : lock;
}

const lit = (v: string | number | boolean) => (typeof v === 'string' ? v : String(v));

/** The step's own line, without nested blocks. */
export function stepText(step: Step): string {
  switch (step.kind) {
    case 'read':
      return `read ${step.local} = ${step.expr}`;
    case 'if':
      return `if ${step.cond}`;
    case 'await':
      return `await ${step.cond}`;
    case 'require':
      return `require ${step.cond}${step.message ? ` else abort "${step.message}"` : ''}`;
    case 'write':
      return `write ${step.target} = ${step.value}${step.fencedBy ? ` fenced by ${lockText(step.fencedBy.lock, step.fencedBy.on)}` : ''}`;
    case 'cas':
      return `cas ${step.target}: [${step.from.map(lit).join(', ')}] -> ${lit(step.to)} else ${step.else}${step.message !== undefined ? ` "${step.message}"` : ''}`;
    case 'update':
      return updateText(step);
    case 'atomic':
      return 'atomic';
    case 'acquire':
      return `acquire ${lockText(step.lock, step.on)}${step.shared ? ' shared' : ''}${step.try ? ' try' : ''}${step.timeout !== undefined ? ` timeout ${step.timeout}s` : ''}`;
    case 'repeat':
      return step.until !== undefined ? `repeat until ${step.until}` : 'repeat forever';
    case 'release':
      return `release ${lockText(step.lock, step.on)}`;
    case 'with':
      return `with ${lockText(step.lock, step.on)}${step.shared ? ' shared' : ''}`;
    case 'call':
      return `call ${step.name}${step.long ? ' long' : ''}${step.mayFail ? ' mayFail' : ''}`;
    case 'assert':
      return `assert ${step.cond} "${step.message}"`;
    case 'abort':
      return `abort "${step.message}"`;
    case 'return':
      return 'return';
    default:
      return unreachable(step, 'step kind');
  }
}

/** `update share set state = "deleting" where state in ["available", "error"] and no-snapshots: !any(…) else abort "…"`. */
function updateText(step: Extract<Step, { kind: 'update' }>): string {
  const set = step.set.map((s) => `${s.field} = ${s.value}`).join(', ');
  const conditions = [
    ...step.where.map((w) => `${w.field} ${w.op} ${w.value}`),
    ...(step.filters ?? []).map((f) => `${f.name}: ${f.cond}`),
  ];
  const where = conditions.length > 0 ? ` where ${conditions.join(' and ')}` : '';
  const failedAs = step.failedAs !== undefined ? ` failedAs ${step.failedAs}` : '';
  // With onFail the block shows on its own line; `else` is shown whenever written (and defaults to abort).
  const otherwise = step.else !== undefined || step.onFail === undefined ? ` else ${step.else ?? 'abort'}` : '';
  const message = step.message !== undefined ? ` "${step.message}"` : '';
  return `update ${step.target} set ${set}${where}${failedAs}${otherwise}${message}`;
}

/** The whole operation as indented pseudo-code. */
export function operationText(op: Operation): string {
  const lines = [`${op.name}(${op.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`];
  const block = (steps: Step[], depth: number) => {
    for (const step of steps) {
      const pad = '  '.repeat(depth);
      const label = step.label ? `  # ${step.label}` : '';
      const nested = childBlocks(step);
      // A body (`steps` of atomic, with) opens on the step's own line; named blocks get a line of their own.
      const body = nested[0]?.[0] === 'steps';
      // A loop with a test reads as written: `repeat { … } until cond`.
      const until = step.kind === 'repeat' && step.until !== undefined ? step.until : null;
      lines.push(`${pad}${until !== null ? 'repeat' : stepText(step)}${body ? ' {' : ''}${label}`);
      for (const [key, steps] of nested) {
        if (key !== 'steps') lines.push(`${pad}${key} {`);
        block(steps, depth + 1);
        lines.push(`${pad}}${until !== null && key === 'steps' ? ` until ${until}` : ''}`);
      }
    }
  };
  block(op.steps, 1);
  return lines.join('\n');
}
