import type { ModelDocument, Step } from '@/lib/model';
import type { ListSlot } from './actions';
import { getIn, parsePath } from './path';

/**
 * The steps that run before a step inserted at `at`, nearest first: earlier
 * siblings, then the siblings before each enclosing step.
 */
export function* stepsBefore(doc: ModelDocument, at: ListSlot): Generator<Step> {
  let segments = parsePath(at.list);
  let index = at.index;
  while (segments.length >= 3) {
    const list = getIn(doc, segments);
    if (Array.isArray(list)) {
      for (let i = Math.min(index, list.length) - 1; i >= 0; i--) if (list[i]) yield list[i] as Step;
    }
    // Up one level: `…steps[2].then` → the step `…steps[2]` in `…steps`.
    const owner = segments.slice(0, -1);
    const ownerIndex = owner.at(-1);
    if (typeof ownerIndex !== 'number') break;
    segments = owner.slice(0, -1);
    index = ownerIndex;
  }
}
