/**
 * Unsaved work kept in the browser: a document that cannot be saved yet
 * (it has problems) or whose save failed survives a reload or a crash.
 */
import type { ModelDocument } from '@/lib/model';

export interface Draft {
  base: number;
  doc: ModelDocument;
  at: string;
}

const key = (modelId: string) => `lockstep.draft.${modelId}`;

export function readDraft(modelId: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(modelId));
    const d = raw ? (JSON.parse(raw) as Draft) : null;
    return d && typeof d.base === 'number' && d.doc && typeof d.at === 'string' ? d : null;
  } catch {
    return null;
  }
}

export function writeDraft(modelId: string, draft: Draft): void {
  try {
    localStorage.setItem(key(modelId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the editor still works, without the safety net.
  }
}

export function clearDraft(modelId: string): void {
  try {
    localStorage.removeItem(key(modelId));
  } catch {}
}
