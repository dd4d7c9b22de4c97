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
    case 'atomic':
      return 'atomic';
    case 'acquire':
      return `acquire ${lockText(step.lock, step.on)}${step.shared ? ' shared' : ''}${step.try ? ' try' : ''}`;
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
      lines.push(`${pad}${stepText(step)}${body ? ' {' : ''}${label}`);
      for (const [key, steps] of nested) {
        if (key !== 'steps') lines.push(`${pad}${key} {`);
        block(steps, depth + 1);
        lines.push(`${pad}}`);
      }
    }
  };
  block(op.steps, 1);
  return lines.join('\n');
}
