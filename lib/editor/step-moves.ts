/**
 * Keyboard moves of a step: up/down within its list, into the block of the
 * step above (indent), or out of its block to after its parent (outdent).
 * Pure: each returns the `move` action and where the step lands, or null.
 */
import type { ModelDocument, Step } from '@/lib/model';
import { BLOCK_KEYS, uncheckedBlocks } from '@/lib/model/walk';
import type { EditAction } from './actions';
import { getIn } from './path';

export interface StepMove {
  action: EditAction & { type: 'move' };
  /** The step's path after the move. */
  to: string;
}

export function moveUp(list: string, index: number): StepMove | null {
  if (index === 0) return null;
  return { action: { type: 'move', from: { list, index }, to: { list, index: index - 1 } }, to: `${list}[${index - 1}]` };
}

export function moveDown(doc: ModelDocument, list: string, index: number): StepMove | null {
  const steps = getIn(doc, list) as Step[] | undefined;
  if (!steps || index >= steps.length - 1) return null;
  return { action: { type: 'move', from: { list, index }, to: { list, index: index + 2 } }, to: `${list}[${index + 1}]` };
}

/** Into the last block the previous step has (then, steps, else, onFail), at its end. */
export function indent(doc: ModelDocument, list: string, index: number): StepMove | null {
  if (index === 0) return null;
  const last = uncheckedBlocks(getIn(doc, `${list}[${index - 1}]`)).at(-1);
  if (!last) return null;
  const [block, steps] = last;
  const target = `${list}[${index - 1}].${block}`;
  const length = steps.length;
  return { action: { type: 'move', from: { list, index }, to: { list: target, index: length } }, to: `${target}[${length}]` };
}

const BLOCK = BLOCK_KEYS.join('|');
/** `…[i].then`: a step list that is a block of the step at `…[i]`. */
const IN_BLOCK = new RegExp(`^(.*)\\[(\\d+)\\]\\.(${BLOCK})$`);
/** A path to a step list: an operation's `steps` or a block. */
const ENDS_IN_STEP_LIST = new RegExp(`\\.(${BLOCK})$`);

/** Out of the block it is in, to just after the step that holds the block. */
export function outdent(list: string, index: number): StepMove | null {
  const m = IN_BLOCK.exec(list);
  if (!m || !ENDS_IN_STEP_LIST.test(m[1])) return null;
  const parentList = m[1];
  const parentIndex = Number(m[2]);
  return { action: { type: 'move', from: { list, index }, to: { list: parentList, index: parentIndex + 1 } }, to: `${parentList}[${parentIndex + 1}]` };
}
