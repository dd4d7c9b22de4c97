import type { ListSlot } from '@/lib/editor/actions';

/** The drag payload of a step being moved: where it comes from. */
export const DRAG_TYPE = 'application/x-lockstep-step';

export function writeDrag(e: React.DragEvent, from: ListSlot) {
  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(from));
  e.dataTransfer.effectAllowed = 'move';
}

export function readDrag(e: React.DragEvent): ListSlot | null {
  try {
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    const v = raw ? (JSON.parse(raw) as ListSlot) : null;
    return v && typeof v.list === 'string' && typeof v.index === 'number' ? v : null;
  } catch {
    return null;
  }
}
