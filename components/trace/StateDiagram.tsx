'use client';

/**
 * Read-only state diagrams (React Flow, laid out and routed by ELK): every
 * resource type of the scenario, the states its instances are in highlighted,
 * and the edge the current step just took. ELK routes each transition around
 * the states and keeps the names apart; the view fits the whole routed
 * drawing, edges included, so nothing is cut off at the border.
 */
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { BaseEdge, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow, type Edge, type EdgeProps, type Node, type NodeProps } from '@xyflow/react';
import type { ModelDocument, Resource } from '@/lib/model';
import type { StateView } from '@/lib/check';
import type { TransitionTaken } from '@/lib/browser/trace-model';
import { routedLayout, type RoutedEdge, type RoutedLayout } from '@/lib/editor/layout';
import { roundedPath } from '@/lib/editor/edge-geometry';
import { fallbackPosition } from '@/lib/editor/graph';

/** States in a trace diagram are smaller than on the editor's canvas: the diagrams share the screen with the trace. */
const NODE = { width: 128, height: 40 };
/**
 * Each state's size and its two 1 px handles (trace.module.css `.handle`), given rather than
 * measured: React Flow hides a node until it has measured it, and forgets the measurement when
 * the node object is replaced. Measured, every state was hidden again at every step until
 * measured anew, and a replacement in the same commit as a measurement left a diagram's states
 * hidden for good (e2e/trace-diagrams.spec.ts watches for any state drawn hidden).
 */
const FIXED_NODE = {
  width: NODE.width,
  height: NODE.height,
  measured: NODE,
  handles: [
    { type: 'target' as const, position: Position.Left, x: 0, y: NODE.height / 2 },
    { type: 'source' as const, position: Position.Right, x: NODE.width - 1, y: NODE.height / 2 },
  ],
};
/** The tallest a diagram grows to fit its machine at a readable zoom. */
const MAX_HEIGHT = 440;
const MIN_HEIGHT = 180;
import styles from './trace.module.css';

type DiagramNodeData = { resource: string; state: string; kind: string; instances: string[] };
type DiagramNode = Node<DiagramNodeData, 'traceState'> | Node<{ width: number; height: number }, 'bounds'>;
type RoutedEdgeData = { route: RoutedEdge; hot: boolean };

const DiagramStateNode = memo(function DiagramStateNode({ data }: NodeProps<Node<DiagramNodeData, 'traceState'>>) {
  const current = data.instances.length > 0;
  return (
    <div
      className={styles.node}
      style={{ width: NODE.width, height: NODE.height }}
      data-testid="diagram-state"
      data-resource={data.resource}
      data-state={data.state}
      data-kind={data.kind}
      data-current={current ? 'true' : 'false'}
    >
      <Handle type="target" position={Position.Left} className={styles.handle} isConnectable={false} />
      <span className={styles.nodeName} title={data.state}>{data.state}</span>
      {current ? <span className={styles.chips}>{data.instances.join(', ')}</span> : null}
      <Handle type="source" position={Position.Right} className={styles.handle} isConnectable={false} />
    </div>
  );
});

/** An invisible box as big as the whole routed drawing, so fitting the view fits the edges and names too. */
function BoundsNode({ data }: NodeProps<Node<{ width: number; height: number }, 'bounds'>>) {
  return <div style={{ width: data.width, height: data.height, pointerEvents: 'none' }} aria-hidden />;
}

/** A transition along ELK's route, its name in the box ELK kept clear for it. */
const RoutedTransition = memo(function RoutedTransition({ id, data, label, markerEnd, style }: EdgeProps<Edge<RoutedEdgeData>>) {
  if (!data) return null;
  const l = data.route.label;
  return (
    <>
      <BaseEdge id={id} path={roundedPath(data.route.points)} markerEnd={markerEnd} style={style} />
      {label && l ? (
        <EdgeLabelRenderer>
          <div
            className={`${styles.edgeLabel} ${data.hot ? styles.edgeLabelHot : ''}`}
            style={{ transform: `translate(${l.x}px, ${l.y}px)`, width: l.width, height: l.height }}
            data-testid="diagram-edge-label"
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

const nodeTypes = { traceState: DiagramStateNode, bounds: BoundsNode };
const edgeTypes = { routed: RoutedTransition };

export function StateDiagrams({ document, view, taken }: { document: ModelDocument; view: StateView; taken: TransitionTaken[] }) {
  // Per resource type, made again only when the step changes: the diagrams redraw on nothing else.
  const diagrams = useMemo(() => {
    const used = new Set(view.instances.map((i) => i.type));
    return document.resources
      .filter((r) => used.has(r.name))
      .map((resource) => ({
        resource,
        instances: view.instances.filter((i) => i.type === resource.name),
        taken: taken.filter((t) => t.type === resource.name),
      }));
  }, [document, view.instances, taken]);
  return (
    <div className={styles.diagrams} data-testid="state-diagrams">
      {diagrams.map(({ resource, instances, taken }) => (
        <ResourceDiagram key={resource.name} resource={resource} instances={instances} taken={taken} />
      ))}
    </div>
  );
}

function ResourceDiagram({ resource, instances, taken }: { resource: Resource; instances: StateView['instances']; taken: TransitionTaken[] }) {
  // Both directions are laid out; the diagram shows the one that fits its width at the larger zoom,
  // and is as tall as that drawing needs (within bounds), so names stay as large as the space allows.
  const canvas = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const [layouts, setLayouts] = useState<RoutedLayout[] | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([routedLayout(resource, 'RIGHT', NODE, true), routedLayout(resource, 'DOWN', NODE, true)]).then((l) => live && setLayouts(l));
    return () => {
      live = false;
    };
  }, [resource]);
  const { layout, height } = useMemo(() => pickLayout(layouts, width), [layouts, width]);
  const positions = layout?.positions;

  const nodes: DiagramNode[] = useMemo(
    () => [
      ...resource.states.map(
        (s, i): DiagramNode => ({
          id: s.name,
          type: 'traceState',
          ...FIXED_NODE,
          position: positions?.[s.name] ?? fallbackPosition(i),
          data: {
            resource: resource.name,
            state: s.name,
            kind: s.kind,
            instances: instances.filter((inst) => inst.state === s.name).map((inst) => inst.name),
          },
          draggable: false,
          selectable: false,
          connectable: false,
        }),
      ),
      ...(layout
        ? [
            {
              id: '__bounds',
              type: 'bounds' as const,
              position: { x: 0, y: 0 },
              data: { width: layout.width, height: layout.height },
              width: layout.width,
              height: layout.height,
              measured: { width: layout.width, height: layout.height },
              handles: [],
              draggable: false,
              selectable: false,
              connectable: false,
              zIndex: -1,
            },
          ]
        : []),
    ],
    [resource, positions, instances, layout],
  );

  const edges: Edge[] = useMemo(() => {
    const names = new Set(resource.states.map((s) => s.name));
    const isTaken = (from: string, to: string) => taken.some((t) => t.from === from && t.to === to);
    const routes = new Map((layout?.edges ?? []).map((e) => [e.index, e]));
    const out: Edge[] = resource.transitions
      .map((t, i) => ({ t, i, route: routes.get(i) }))
      .filter(({ t }) => names.has(t.from) && names.has(t.to) && t.from !== t.to)
      .map(({ t, i, route }) => {
        const hot = isTaken(t.from, t.to);
        return {
          id: `e${i}:${t.from}->${t.to}`,
          source: t.from,
          target: t.to,
          ...(route ? { type: 'routed', data: { route, hot } } : {}),
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
  }, [resource, taken, layout]);

  return (
    <div className={styles.diagram} data-testid="diagram" data-resource={resource.name}>
      <div className={styles.diagramHead}>
        <strong>{resource.name}</strong>
        <span className="muted">{instances.map((i) => `${i.name}: ${i.state}`).join(' · ')}</span>
      </div>
      <div className={styles.diagramCanvas} ref={canvas} style={height ? { height } : undefined} data-direction={layout?.direction}>
        <ReactFlow
          key={layout ? `laid-out-${layout.direction}-${height}` : 'pending'}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={{ padding: 0.04 }}
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

/** The layout that fits `width` at the larger zoom (up to 1), and the height that shows it whole at that zoom. */
function pickLayout(layouts: RoutedLayout[] | null, width: number): { layout: (RoutedLayout & { direction: string }) | null; height: number | null } {
  if (!layouts || width === 0) return { layout: null, height: null };
  const scored = layouts.map((l, i) => {
    const zoom = Math.min(1, width / l.width, MAX_HEIGHT / l.height);
    return { layout: { ...l, direction: i === 0 ? 'RIGHT' : 'DOWN' }, zoom, height: Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(l.height * zoom) + 12)) };
  });
  const best = scored.reduce((a, b) => (b.zoom > a.zoom + 0.02 ? b : a));
  return { layout: best.layout, height: best.height };
}
