/**
 * The selected steps: one clicked step, or a run of siblings from the clicked
 * one to a Shift+clicked one. Paths are step paths like
 * `operations[0].steps[2].then[1]`.
 */
import type { EditorView } from './store';

export interface StepRun {
  /** The step list the run lies in. */
  list: string;
  from: number;
  to: number;
}

const STEP_PATH = /^(.*)\[(\d+)\]$/;

function split(path: string): { list: string; index: number } | null {
  const m = STEP_PATH.exec(path);
  return m ? { list: m[1], index: Number(m[2]) } : null;
}

/** The selected run (from ≤ to), or null when no step is selected. A Shift+click in another list counts as just the clicked step. */
export function selectedRun(view: Pick<EditorView, 'step' | 'stepTo'>): StepRun | null {
  const a = view.step ? split(view.step) : null;
  if (!a) return null;
  const b = view.stepTo ? split(view.stepTo) : null;
  if (!b || b.list !== a.list) return { list: a.list, from: a.index, to: a.index };
  return { list: a.list, from: Math.min(a.index, b.index), to: Math.max(a.index, b.index) };
}

export function isSelected(run: StepRun | null, path: string): boolean {
  const p = split(path);
  return !!run && !!p && p.list === run.list && p.index >= run.from && p.index <= run.to;
}

/** The last selected step's path: a new step goes right after it. */
export function lastSelected(view: Pick<EditorView, 'step' | 'stepTo'>): string | null {
  const run = selectedRun(view);
  return run ? `${run.list}[${run.to}]` : null;
}

/** What a click on the step at `path` selects: Shift extends the run from the step already selected in the same list. */
export function clickStep(view: Pick<EditorView, 'step' | 'stepTo'>, path: string, shift: boolean): Pick<EditorView, 'step' | 'stepTo'> {
  const anchor = view.step ? split(view.step) : null;
  const here = split(path);
  if (shift && anchor && here && anchor.list === here.list) return { step: view.step, stepTo: path };
  return { step: path, stepTo: null };
}
