'use client';

/**
 * A thread's anchor shown where it lives: a state or transition highlighted
 * on a read-only canvas of its state machine, a step as its (read-only) step
 * card, a lock / invariant / scenario as its definition, a trace step as the
 * trace opened at that step. The editor's own components render it, inside a
 * read-only editor store whose selection is the anchored element.
 */
import { useMemo } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { Anchor } from '@/lib/reviews/anchor';
import { stepAt, unreachable, type BlockKey } from '@/lib/model/walk';
import { createEditorStore, type Selection } from '@/lib/editor/store';
import { EditorProvider } from '@/components/editor/context';
import { StateMachineCanvas } from '@/components/editor/StateMachineCanvas';
import { StepCard } from '@/components/editor/StepCard';
import { stepCardAddress } from './anchor-options';
import { RunTrace } from './RunTrace';
import styles from './review.module.css';

export interface AnchorContextProps {
  modelId: string;
  anchor: Anchor;
  /** The document the anchor is shown in (the thread's version when outdated, else the review's). */
  document: ModelDocument;
  /** For a step anchor that moved: its path in `document`. */
  stepPath?: Array<number | BlockKey>;
  /** For a trace-step anchor: the version its run checked. */
  runVersion?: number | null;
}

export function AnchorContext({ modelId, anchor, document, stepPath, runVersion }: AnchorContextProps) {
  switch (anchor.kind) {
    case 'model':
      return <p className={styles.muted}>About the model as a whole.</p>;
    case 'state':
    case 'transition':
      return <MachineContext document={document} anchor={anchor} />;
    case 'step':
      return <StepContext document={document} operation={anchor.operation} path={stepPath ?? (anchor.path as Array<number | BlockKey>)} />;
    case 'lock': {
      const lock = document.locks.find((l) => l.name === anchor.lock);
      return lock ? <Definition title={`Lock ${lock.name}`} value={lock} /> : <Missing what={`lock ${anchor.lock}`} />;
    }
    case 'invariant': {
      const inv = document.invariants.find((i) => i.name === anchor.invariant);
      return inv ? <Definition title={`Invariant ${inv.name}`} value={inv.expr} /> : <Missing what={`invariant ${anchor.invariant}`} />;
    }
    case 'scenario': {
      const sc = document.scenarios.find((s) => s.name === anchor.scenario);
      return sc ? <Definition title={`Scenario ${sc.name}`} value={{ processes: sc.processes, instances: sc.instances, ...(sc.expect ? { expect: sc.expect } : {}) }} /> : <Missing what={`scenario ${anchor.scenario}`} />;
    }
    case 'trace-step':
      if (!runVersion) return <p className={styles.muted}>The run this comment points at is no longer listed on this review.</p>;
      return (
        <div data-testid="anchor-trace">
          <RunTrace modelId={modelId} run={{ runId: anchor.runId, versionNumber: runVersion, scenario: anchor.scenario }} step={anchor.step} />
        </div>
      );
    default:
      return unreachable(anchor, 'anchor kind');
  }
}

function Missing({ what }: { what: string }) {
  return <p className={styles.muted}>This version has no {what}.</p>;
}

function Definition({ title, value }: { title: string; value: unknown }) {
  return (
    <div data-testid="anchor-definition">
      <strong>{title}</strong>
      <pre className={styles.definition}>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

function MachineContext({ document, anchor }: { document: ModelDocument; anchor: Extract<Anchor, { kind: 'state' | 'transition' }> }) {
  const resourceIndex = document.resources.findIndex((r) => r.name === anchor.resource);
  const resource = document.resources[resourceIndex];
  const selection: Selection = useMemo(() => {
    if (!resource) return null;
    if (anchor.kind === 'state') return resource.states.some((s) => s.name === anchor.state) ? { kind: 'state', resource: resourceIndex, name: anchor.state } : null;
    const index = resource.transitions.findIndex((t) => t.from === anchor.from && t.to === anchor.to);
    return index >= 0 ? { kind: 'transition', resource: resourceIndex, index } : null;
  }, [anchor, resource, resourceIndex]);
  const store = useReadOnlyStore(document, selection);
  if (!resource) return <Missing what={`resource ${anchor.resource}`} />;
  if (!selection) return <Missing what={anchor.kind === 'state' ? `state ${anchor.resource}.${anchor.state}` : `transition ${anchor.from} → ${anchor.to}`} />;
  return (
    <div className={styles.canvasBox} data-testid="anchor-canvas" aria-label={`State machine of ${resource.name}`}>
      <EditorProvider store={store} readOnly>
        <StateMachineCanvas resourceIndex={resourceIndex} editTools={false} />
      </EditorProvider>
    </div>
  );
}

function StepContext({ document, operation, path }: { document: ModelDocument; operation: string; path: Array<number | BlockKey> }) {
  const store = useReadOnlyStore(document, null);
  const address = stepCardAddress(document, operation, path);
  const op = document.operations.find((o) => o.name === operation);
  const step = op ? stepAt(op.steps, path) : undefined;
  if (!address || !op || !step) return <Missing what={`such step in ${operation}`} />;
  const siblings = path.length === 1 ? op.steps : ((stepAt(op.steps, path.slice(0, -2)) as Record<string, unknown> | undefined)?.[path[path.length - 2] as string] as unknown[] | undefined) ?? [];
  return (
    <div data-testid="anchor-step">
      <p className={styles.small}>Operation {operation}</p>
      <EditorProvider store={store} readOnly>
        <ol className={styles.stepBox}>
          <StepCard opIndex={address.opIndex} list={address.list} index={address.index} step={step} depth={address.depth} count={siblings.length} />
        </ol>
      </EditorProvider>
    </div>
  );
}

function useReadOnlyStore(document: ModelDocument, selection: Selection) {
  return useMemo(() => {
    const store = createEditorStore(document);
    if (selection) store.dispatch({ type: 'select', selection });
    return store;
  }, [document, selection]);
}
