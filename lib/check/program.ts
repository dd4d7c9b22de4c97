/**
 * Flattens an operation's nested steps into a list of instructions with
 * explicit successors, so a process's position is one integer (its pc).
 * `with` becomes acquire … release; `if` a branch; onFail/else blocks are
 * alternative successors. Every instruction is one atomic step. An `atomic`
 * block stays one instruction; system.ts flattens its body the same way.
 * `repeat` is the one back edge: its `until` test is an instruction of its own
 * (true: out of the loop, false: back to the body's first step), and without
 * `until` the body's exits lead back to that first step, the loop head.
 */
import type { AnalyzedStep } from '../model/analyzed';
import { unreachable } from '../model/walk';

export const END = -1;
/** Alternative successor meaning "abort the operation" (a failed call or fenced write without onFail). */
export const ABORT = -2;

/** An analyzed step of one kind. */
export type StepOf<K extends AnalyzedStep['kind']> = Extract<AnalyzedStep, { kind: K }>;

interface Flow {
  pc: number;
  /** Where the process goes after this step succeeds (END: the operation is done). */
  next: number;
  /** Where it goes on the other outcome: else branch, failed try-acquire, failed call or rejected write. */
  alt: number;
  /** `with` blocks around this instruction, outermost first: their locks are released on abort/return. */
  withs: StepOf<'with'>[];
  /** This release ends a `with` block (rather than being a `release` step). */
  closesWith: boolean;
  /** The first step of a `repeat` body: a back edge leads here, so it is never merged into a run of local steps. */
  loopHead: boolean;
}

/** One instruction, keyed by `kind`; `step` is the analyzed step it runs. */
export type Instr = Flow &
  (
    | { kind: 'read'; step: StepOf<'read'> }
    | { kind: 'branch'; step: StepOf<'if'> }
    | { kind: 'await'; step: StepOf<'await'> }
    | { kind: 'require'; step: StepOf<'require'> }
    | { kind: 'assert'; step: StepOf<'assert'> }
    | { kind: 'write'; step: StepOf<'write'> }
    | { kind: 'cas'; step: StepOf<'cas'> }
    | { kind: 'update'; step: StepOf<'update'> }
    | { kind: 'atomic'; step: StepOf<'atomic'> }
    | { kind: 'acquire'; step: StepOf<'acquire'> | StepOf<'with'> }
    | { kind: 'release'; step: StepOf<'release'> | StepOf<'with'> }
    | { kind: 'call'; step: StepOf<'call'> }
    /** A `repeat`'s test: `next` leaves the loop, `alt` goes back to the loop head. */
    | { kind: 'until'; step: StepOf<'repeat'> }
    | { kind: 'abort'; step: StepOf<'abort'> }
    | { kind: 'return'; step: StepOf<'return'> }
  );

export type InstrKind = Instr['kind'];
export type InstrOf<K extends InstrKind> = Extract<Instr, { kind: K }>;

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

function add<K extends InstrKind>(out: Instr[], kind: K, step: InstrOf<K>['step'], withs: StepOf<'with'>[], closesWith = false): InstrOf<K> {
  const instr = { pc: out.length, kind, step, next: END, alt: END, withs, closesWith, loopHead: false } as InstrOf<K>;
  out.push(instr);
  return instr;
}

/** Compiles a block; returns its first pc (null when empty) and the exits to point at what follows. */
function block(steps: AnalyzedStep[], withs: StepOf<'with'>[], out: Instr[]): Block {
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

/** A step that always continues with what follows it. */
function straight(instr: Instr): Block {
  return { entry: instr.pc, pending: [(pc) => (instr.next = pc)] };
}

function single(step: AnalyzedStep, withs: StepOf<'with'>[], out: Instr[]): Block {
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
      if (step.try || step.timeout !== null) pending.push(...link(block(step.else, withs, out), (pc) => (instr.alt = pc)));
      return { entry: instr.pc, pending };
    }
    case 'repeat': {
      const body = block(step.steps, withs, out);
      if (body.entry === null) throw new Error(`empty repeat body at ${step.path}`); // the schema requires steps
      const head = body.entry;
      out[head].loopHead = true;
      if (!step.until) {
        for (const patch of body.pending) patch(head);
        return { entry: head, pending: [] }; // runs for ever: nothing follows it
      }
      const test = add(out, 'until', step, withs);
      for (const patch of body.pending) patch(test.pc);
      test.alt = head;
      return { entry: head, pending: [(pc) => (test.next = pc)] };
    }
    case 'write':
    case 'call': {
      const instr = step.kind === 'write' ? add(out, 'write', step, withs) : add(out, 'call', step, withs);
      const pending: Patch[] = [(pc) => (instr.next = pc)];
      if (step.onFail) pending.push(...link(block(step.onFail, withs, out), (pc) => (instr.alt = pc)));
      else instr.alt = ABORT;
      return { entry: instr.pc, pending };
    }
    case 'update': {
      // alt: the onFail block, or ABORT (else abort; skip and retry never take it).
      const instr = add(out, 'update', step, withs);
      const pending: Patch[] = [(pc) => (instr.next = pc)];
      if (step.onFail) pending.push(...link(block(step.onFail, withs, out), (pc) => (instr.alt = pc)));
      else instr.alt = ABORT;
      return { entry: instr.pc, pending };
    }
    case 'read':
      return straight(add(out, 'read', step, withs));
    case 'await':
      return straight(add(out, 'await', step, withs));
    case 'require':
      return straight(add(out, 'require', step, withs));
    case 'assert':
      return straight(add(out, 'assert', step, withs));
    case 'cas':
      return straight(add(out, 'cas', step, withs));
    case 'atomic':
      return straight(add(out, 'atomic', step, withs));
    case 'release':
      return straight(add(out, 'release', step, withs));
    default:
      return unreachable(step, 'step kind');
  }
}
