/**
 * Flattens an operation's nested steps into a list of instructions with
 * explicit successors, so a process's position is one integer (its pc).
 * `with` becomes acquire … release; `if` a branch; onFail/else blocks are
 * alternative successors. Every instruction is one atomic step.
 */
import type { AnalyzedStep } from '../model/analyzed';

export const END = -1;
/** Alternative successor meaning "abort the operation" (a failed call or fenced write without onFail). */
export const ABORT = -2;

export type InstrOp =
  | 'read'
  | 'branch'
  | 'await'
  | 'require'
  | 'write'
  | 'cas'
  | 'atomic'
  | 'acquire'
  | 'release'
  | 'call'
  | 'assert'
  | 'abort'
  | 'return';

export interface Instr {
  pc: number;
  op: InstrOp;
  step: AnalyzedStep;
  /** Where the process goes after this step succeeds (END: the operation is done). */
  next: number;
  /** Where it goes on the other outcome: else branch, failed try-acquire, failed call or rejected write. */
  alt: number;
  /** `with` blocks around this instruction, outermost first: their locks are released on abort/return. */
  withs: AnalyzedStep[];
  /** This release ends a `with` block (rather than being a `release` step). */
  closesWith: boolean;
}

export function flatten(steps: AnalyzedStep[]): Instr[] {
  const out: Instr[] = [];
  const { entry, pending } = block(steps, [], out);
  if (entry === null && out.length === 0) return out;
  for (const patch of pending) patch(END);
  return out;
}

type Patch = (pc: number) => void;
interface Block {
  entry: number | null;
  pending: Patch[];
}

function add(out: Instr[], op: InstrOp, step: AnalyzedStep, withs: AnalyzedStep[], closesWith = false): Instr {
  const instr: Instr = { pc: out.length, op, step, next: END, alt: END, withs, closesWith };
  out.push(instr);
  return instr;
}

/** Compiles a block; returns its first pc (null when empty) and the exits to point at what follows. */
function block(steps: AnalyzedStep[], withs: AnalyzedStep[], out: Instr[]): Block {
  let entry: number | null = null;
  let pending: Patch[] = [];
  for (const step of steps) {
    const compiled = single(step, withs, out);
    const start = compiled.entry;
    if (start !== null) {
      for (const patch of pending) patch(start);
      pending = [];
      if (entry === null) entry = start;
    }
    pending = start === null ? [...pending, ...compiled.pending] : compiled.pending;
  }
  return { entry, pending };
}

/** Points `set` at a block's entry, or leaves it pending (with the block's own exits) when the block is empty. */
function link(target: Block, set: Patch): Patch[] {
  if (target.entry !== null) {
    set(target.entry);
    return target.pending;
  }
  return [set];
}

function single(step: AnalyzedStep, withs: AnalyzedStep[], out: Instr[]): Block {
  switch (step.kind) {
    case 'abort':
      return { entry: add(out, 'abort', step, withs).pc, pending: [] };
    case 'return':
      return { entry: add(out, 'return', step, withs).pc, pending: [] };
    case 'if': {
      const branch = add(out, 'branch', step, withs);
      const then = block(step.then, withs, out);
      const otherwise = block(step.else, withs, out);
      const pending = [
        ...link(then, (pc) => (branch.next = pc)),
        ...link(otherwise, (pc) => (branch.alt = pc)),
      ];
      return { entry: branch.pc, pending };
    }
    case 'with': {
      const acquire = add(out, 'acquire', step, withs);
      const body = block(step.steps, [...withs, step], out);
      const release = add(out, 'release', step, withs, true);
      for (const patch of link(body, (pc) => (acquire.next = pc))) patch(release.pc);
      return { entry: acquire.pc, pending: [(pc) => (release.next = pc)] };
    }
    case 'acquire': {
      const instr = add(out, 'acquire', step, withs);
      const pending: Patch[] = [(pc) => (instr.next = pc)];
      if (step.try) pending.push(...link(block(step.else, withs, out), (pc) => (instr.alt = pc)));
      return { entry: instr.pc, pending };
    }
    case 'write':
    case 'call': {
      const instr = add(out, step.kind, step, withs);
      const pending: Patch[] = [(pc) => (instr.next = pc)];
      if (step.onFail) pending.push(...link(block(step.onFail, withs, out), (pc) => (instr.alt = pc)));
      else instr.alt = ABORT;
      return { entry: instr.pc, pending };
    }
    default: {
      const instr = add(out, step.kind, step, withs);
      return { entry: instr.pc, pending: [(pc) => (instr.next = pc)] };
    }
  }
}
