/**
 * Where in the editor a document path lives: which tab, which resource,
 * operation or scenario, and what to select. Used by the problems panel.
 */
import type { ModelDocument } from '@/lib/model';
import { parsePath } from './path';
import type { EditorView, Selection } from './store';

export interface Target {
  view: Partial<EditorView>;
  selection?: Selection;
}

export function locate(doc: ModelDocument, path: string): Target {
  const seg = parsePath(path);
  const [head, index, sub, subIndex] = seg;
  switch (head) {
    case 'resources': {
      if (typeof index !== 'number') return { view: { tab: 'machines' } };
      const res = doc.resources[index];
      let selection: Selection = null;
      if (sub === 'states' && typeof subIndex === 'number' && res?.states[subIndex]) selection = { kind: 'state', resource: index, name: res.states[subIndex].name };
      if (sub === 'initial' && res && res.states.some((s) => s.name === res.initial)) selection = { kind: 'state', resource: index, name: res.initial };
      if (sub === 'transitions' && typeof subIndex === 'number') selection = { kind: 'transition', resource: index, index: subIndex };
      return { view: { tab: 'machines', resource: index }, selection };
    }
    case 'operations':
      return { view: { tab: 'operations', ...(typeof index === 'number' ? { operation: index } : {}) } };
    case 'locks':
      return { view: { tab: 'locks' } };
    case 'invariants':
      return { view: { tab: 'invariants' } };
    case 'scenarios':
      return { view: { tab: 'scenarios', ...(typeof index === 'number' ? { scenario: index } : {}) } };
    default:
      return { view: { tab: 'json' } };
  }
}

/** Human name of the part of the model a path is in, e.g. `operation deleteShare`. */
export function describePath(doc: ModelDocument, path: string): string {
  const [head, index] = parsePath(path);
  const name = (list: Array<{ name?: string }> | undefined) => (typeof index === 'number' ? list?.[index]?.name : undefined);
  switch (head) {
    case 'resources':
      return `resource ${name(doc.resources) ?? ''}`.trim();
    case 'operations':
      return `operation ${name(doc.operations) ?? ''}`.trim();
    case 'locks':
      return `lock ${name(doc.locks) ?? ''}`.trim();
    case 'invariants':
      return `invariant ${name(doc.invariants) ?? ''}`.trim();
    case 'scenarios':
      return `scenario ${name(doc.scenarios) ?? ''}`.trim();
    default:
      return 'document';
  }
}

/** Issues whose path is `path` exactly. */
export function issuesAt<T extends { path: string }>(issues: readonly T[], path: string): T[] {
  return issues.filter((i) => i.path === path);
}
