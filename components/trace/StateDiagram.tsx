'use client';

/**
 * Read-only state diagrams (React Flow, laid out by elk or the model's saved
 * layout): every resource type of the scenario, the states its instances are
 * in highlighted, and the edge the current step just took.
 */
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useState } from 'react';
import { Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import type { ModelDocument, Resource } from '@/lib/model';
import type { StateView } from '@/lib/check';
import type { TransitionTaken } from '@/lib/browser/trace-model';
import { layoutRight } from '@/lib/editor/layout';
import { NODE_HEIGHT, NODE_WIDTH, fallbackPosition, hasLayout } from '@/lib/editor/graph';
import styles from './trace.module.css';

type XY = { x: number; y: number };
type DiagramNodeData = { resource: string; state: string; kind: string; instances: string[]; vertical: boolean };
type DiagramNode = Node<DiagramNodeData, 'traceState'>;

const DiagramStateNode = memo(function DiagramStateNode({ data }: NodeProps<DiagramNode>) {
  const current = data.instances.length > 0;
  return (
    <div
      className={styles.node}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
      data-testid="diagram-state"
      data-resource={data.resource}
      data-state={data.state}
      data-kind={data.kind}
      data-current={current ? 'true' : 'false'}
    >
      <Handle type="target" position={data.vertical ? Position.Top : Position.Left} className={styles.handle} isConnectable={false} />
      <span className={styles.nodeName}>{data.state}</span>
      {current ? <span className={styles.chips}>{data.instances.join(', ')}</span> : null}
      <Handle type="source" position={data.vertical ? Position.Bottom : Position.Right} className={styles.handle} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { traceState: DiagramStateNode };

export function StateDiagrams({ document, view, taken }: { document: ModelDocument; view: StateView; taken: TransitionTaken[] }) {
  const types = useMemo(() => {
    const used = new Set(view.instances.map((i) => i.type));
    return document.resources.filter((r) => used.has(r.name));
  }, [document, view.instances]);
  return (
    <div className={styles.diagrams} data-testid="state-diagrams">
      {types.map((resource) => (
        <ResourceDiagram
          key={resource.name}
          resource={resource}
          saved={document.layout?.resources?.[resource.name]}
          instances={view.instances.filter((i) => i.type === resource.name)}
          taken={taken.filter((t) => t.type === resource.name)}
        />
      ))}
    </div>
  );
}

function ResourceDiagram({
  resource,
  saved,
  instances,
  taken,
}: {
  resource: Resource;
  saved: Record<string, XY> | undefined;
  instances: StateView['instances'];
  taken: TransitionTaken[];
}) {
  const complete = hasLayout(resource, saved);
  const [auto, setAuto] = useState<Record<string, XY> | null>(null);
  useEffect(() => {
    if (complete) return;
    let live = true;
    layoutRight(resource).then((p) => live && setAuto(p));
    return () => {
      live = false;
    };
  }, [resource, complete]);
  const positions = complete ? saved! : auto;

  const nodes: DiagramNode[] = useMemo(
    () =>
      resource.states.map((s, i) => ({
        id: s.name,
        type: 'traceState',
        position: positions?.[s.name] ?? fallbackPosition(i),
        data: {
          resource: resource.name,
          state: s.name,
          kind: s.kind,
          instances: instances.filter((inst) => inst.state === s.name).map((inst) => inst.name),
          // The editor's saved layout runs top to bottom; the automatic one here left to right.
          vertical: complete,
        },
        draggable: false,
        selectable: false,
        connectable: false,
      })),
    [resource, positions, instances, complete],
  );

  const edges: Edge[] = useMemo(() => {
    const names = new Set(resource.states.map((s) => s.name));
    const isTaken = (from: string, to: string) => taken.some((t) => t.from === from && t.to === to);
    const out: Edge[] = resource.transitions
      .filter((t) => names.has(t.from) && names.has(t.to) && t.from !== t.to)
      .map((t, i) => {
        const hot = isTaken(t.from, t.to);
        return {
          id: `e${i}:${t.from}->${t.to}`,
          source: t.from,
          target: t.to,
          ...(t.name ? { label: t.name } : {}),
          animated: hot,
          className: hot ? 'lockstep-taken' : undefined,
          style: hot ? { stroke: '#2f5bd3', strokeWidth: 3 } : { stroke: '#94a3b8' },
          labelStyle: { fontSize: 10, fill: hot ? '#2f5bd3' : '#64748b', fontWeight: hot ? 700 : 400 },
          markerEnd: { type: MarkerType.ArrowClosed, color: hot ? '#2f5bd3' : '#94a3b8' },
          zIndex: hot ? 10 : 0,
        };
      });
    // A step that moved along an edge the machine does not have (an illegal transition) is drawn too, in red.
    for (const t of taken) {
      if (!resource.transitions.some((e) => e.from === t.from && e.to === t.to) && t.from !== t.to && names.has(t.from) && names.has(t.to)) {
        out.push({
          id: `illegal:${t.from}->${t.to}`,
          source: t.from,
          target: t.to,
          label: 'illegal',
          animated: true,
          style: { stroke: '#b4232c', strokeWidth: 3, strokeDasharray: '6 4' },
          labelStyle: { fontSize: 10, fill: '#b4232c', fontWeight: 700 },
          markerEnd: { type: MarkerType.ArrowClosed, color: '#b4232c' },
          zIndex: 10,
        });
      }
    }
    return out;
  }, [resource, taken]);

  return (
    <div className={styles.diagram} data-testid="diagram" data-resource={resource.name}>
      <div className={styles.diagramHead}>
        <strong>{resource.name}</strong>
        <span className="muted">{instances.map((i) => `${i.name}: ${i.state}`).join(' · ')}</span>
      </div>
      <div className={styles.diagramCanvas}>
        <ReactFlow
          key={positions ? 'laid-out' : 'pending'}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.15 }}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
          minZoom={0.2}
          maxZoom={1}
        />
      </div>
      <div className={styles.taken} data-testid="diagram-taken">
        {taken.length === 0 ? (
          <span>no transition at this step</span>
        ) : (
          taken.map((t) => (
            <span key={t.instance}>
              {t.instance}: <b>{t.from} → {t.to}</b>{' '}
            </span>
          ))
        )}
      </div>
    </div>
  );
}
