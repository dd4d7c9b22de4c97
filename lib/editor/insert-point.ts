/**
 * Where "Add step" puts a new step: right after the selected step, in the
 * selected step's own block, when that step lies in (or below) the block whose
 * button was pressed; otherwise at the end of that block.
 */
import type { ModelDocument } from '@/lib/model';
import { pathWithin, type ListSlot } from './actions';
import { formatSegments, getIn, parsePath } from './path';

/** The list and index a step at `path` (e.g. `operations[0].steps[2].then[1]`) sits at, or null if `path` names no step. */
export function slotOf(doc: ModelDocument, path: string): ListSlot | null {
  const segments = parsePath(path);
  const last = segments.at(-1);
  if (typeof last !== 'number' || segments.length < 3) return null;
  const list = formatSegments(segments.slice(0, -1));
  const item = getIn(doc, path);
  return item && typeof item === 'object' && 'kind' in item ? { list, index: last } : null;
}

export function insertionPoint(doc: ModelDocument, list: string, selected: string | null): ListSlot {
  const here = getIn(doc, list);
  const end = { list, index: Array.isArray(here) ? here.length : 0 };
  if (!selected || !pathWithin(selected, list) || selected === list) return end;
  const slot = slotOf(doc, selected);
  return slot ? { list: slot.list, index: slot.index + 1 } : end;
}
