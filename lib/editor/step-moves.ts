/**
 * Keyboard moves of a step: up/down within its list, into the block of the
 * step above (indent), or out of its block to after its parent (outdent).
 * Pure: each returns the `move` action and where the step lands, or null.
 */
import type { ModelDocument, Step } from '@/lib/model';
import type { EditAction } from './actions';
import { getIn } from './path';
import { blocksOf } from './steps';

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
  const prev = getIn(doc, `${list}[${index - 1}]`) as Step | undefined;
  if (!prev) return null;
  const block = blocksOf(prev.kind)
    .map((b) => b.key)
    .filter((key) => Array.isArray((prev as Record<string, unknown>)[key]))
    .at(-1);
  if (!block) return null;
  const target = `${list}[${index - 1}].${block}`;
  const length = ((prev as Record<string, unknown>)[block] as Step[]).length;
  return { action: { type: 'move', from: { list, index }, to: { list: target, index: length } }, to: `${target}[${length}]` };
}

/** Out of the block it is in, to just after the step that holds the block. */
export function outdent(list: string, index: number): StepMove | null {
  const m = /^(.*)\[(\d+)\]\.(then|else|steps|onFail)$/.exec(list);
  if (!m || !/\.(steps|then|else|onFail)$/.test(m[1])) return null;
  const parentList = m[1];
  const parentIndex = Number(m[2]);
  return { action: { type: 'move', from: { list, index }, to: { list: parentList, index: parentIndex + 1 } }, to: `${parentList}[${parentIndex + 1}]` };
}
