'use client';

import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  ConnectionLineType,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import type { Resource } from '@/lib/model';
import type { Position } from '@/lib/editor/actions';
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  freeSpot,
  freshName,
  hasLayout,
  nodesToPositions,
  problemsByElement,
  resourceToEdges,
  resourceToNodes,
  stateOfNode,
  transitionOfEdge,
  type StateNode as StateNodeType,
} from '@/lib/editor/graph';
import { READABLE_ZOOM, autoLayout, routedLayout, type RoutedLayout } from '@/lib/editor/layout';
import { rectsOverlap, segmentCrossesRect } from '@/lib/editor/edge-geometry';
import { useEdit, useEditor, useProblems, useReadOnly, useStore } from './context';
import { StateNode } from './StateNode';
import { RoutesContext, TransitionEdge } from './TransitionEdge';
import { useDeleteSelection } from './useDeleteSelection';
import styles from './canvas.module.css';

const nodeTypes = { state: StateNode };
const edgeTypes = { transition: TransitionEdge };
const defaultEdgeOptions = {
  markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: '#64748b' },
  style: { strokeWidth: 1.6 },
};

/**
 * The state machine of one resource on a React Flow canvas. `editTools: false`
 * leaves out the editing buttons and hints (a review shows an anchored state
 * on a canvas nobody edits).
 */
export function StateMachineCanvas({ resourceIndex, editTools = true }: { resourceIndex: number; editTools?: boolean }) {
  return (
    <ReactFlowProvider>
      <CanvasInner resourceIndex={resourceIndex} editTools={editTools} />
    </ReactFlowProvider>
  );
}

function CanvasInner({ resourceIndex, editTools }: { resourceIndex: number; editTools: boolean }) {
  const resource = useEditor((s) => s.doc.resources[resourceIndex]);
  const saved = useEditor((s) => s.doc.layout?.resources?.[s.doc.resources[resourceIndex]?.name ?? '']);
  const selection = useEditor((s) => s.selection);
  const store = useStore();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const deleteSelection = useDeleteSelection();

  // ELK lays the machine out and routes its transitions. Without a saved layout its positions are
  // shown (in view only, until something moves); with one, its routes are used wherever the saved
  // positions are still ELK's (after Auto layout, and for the edges a later drag left in place).
  const [auto, setAuto] = useState<{ key: string; layout: RoutedLayout } | null>(null);
  const complete = resource ? hasLayout(resource, saved) : true;
  const autoKey = resource ? structureKey(resource) : '';
  useEffect(() => {
    // ELK runs on the main thread (~1 s for 200 states): a big machine that has its own layout is not
    // laid out again on every edit just for its routes; its edges are drawn border to border.
    if (!resource || auto?.key === autoKey || (complete && resource.states.length > ROUTE_LIMIT)) return;
    let live = true;
    routedLayout(resource, 'DOWN', undefined, true).then((layout) => {
      if (live) setAuto({ key: autoKey, layout });
    });
    return () => {
      live = false;
    };
  }, [resource, autoKey, auto?.key, complete]);
  const routed = auto?.key === autoKey ? auto.layout : null;
  const positions = useMemo(() => (complete ? saved : { ...(routed?.positions ?? {}), ...(saved ?? {}) }), [complete, saved, routed]);

  const paths = useMemo(() => problems.filter((p) => p.severity === 'error').map((p) => p.path), [problems]);
  const derived = useMemo(() => {
    if (!resource) return { nodes: [] as StateNodeType[], edges: [] as Edge[] };
    const counts = problemsByElement(resource, resourceIndex, paths);
    const options = {
      resourceIndex,
      positions,
      selectedState: selection?.kind === 'state' && selection.resource === resourceIndex ? selection.name : null,
      selectedTransition: selection?.kind === 'transition' && selection.resource === resourceIndex ? selection.index : null,
      ...counts,
    };
    return { nodes: resourceToNodes(resource, options), edges: resourceToEdges(resource, options) };
  }, [resource, resourceIndex, positions, selection, paths]);

  // Local copy so drags move smoothly; the document gets the final position on drop.
  const [nodes, setNodes] = useState<StateNodeType[]>(derived.nodes);
  useEffect(
    () =>
      setNodes((prev) => {
        // Keep what React Flow measured, or the nodes stay hidden until their size changes.
        const byId = new Map(prev.map((n) => [n.id, n]));
        return derived.nodes.map((n) => {
          const old = byId.get(n.id);
          return old?.measured ? { ...n, measured: old.measured } : n;
        });
      }),
    [derived.nodes],
  );

  const routes = useMemo(() => validRoutes(routed, nodes), [routed, nodes]);

  // Fit to the view, never below the zoom at which state names are readable: a machine too
  // big for the view opens at that zoom, its top (the initial states) in view; pan for the rest.
  const fitReadable = useCallback(
    (duration: number) => {
      const box = wrapper.current?.getBoundingClientRect();
      const all = flow.getNodes();
      if (!box || all.length === 0) return;
      const b = flow.getNodesBounds(all);
      const pad = 0.05;
      const fit = Math.min(box.width / (b.width * (1 + 2 * pad)), box.height / (b.height * (1 + 2 * pad)), 1.2);
      const zoom = Math.max(READABLE_ZOOM, fit);
      const margin = 24;
      const x = b.width * zoom <= box.width - 2 * margin ? (box.width - b.width * zoom) / 2 - b.x * zoom : margin - b.x * zoom;
      const y = b.height * zoom <= box.height - 2 * margin ? (box.height - b.height * zoom) / 2 - b.y * zoom : margin - b.y * zoom;
      flow.setViewport({ x, y, zoom }, { duration });
    },
    [flow],
  );

  // Fit once, when the first positions are known (not again when the first move saves the layout).
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current || (!complete && !routed)) return;
    fitted.current = true;
    requestAnimationFrame(() => fitReadable(0));
  }, [complete, routed, fitReadable]);

  // A problem clicked in the panel: bring its state into view.
  const focus = useEditor((s) => s.view.focus);
  useEffect(() => {
    const m = focus && /^resources\[(\d+)\]\.states\[(\d+)\]/.exec(focus.path);
    if (!m || Number(m[1]) !== resourceIndex) return;
    const state = resource?.states[Number(m[2])];
    if (state) requestAnimationFrame(() => flow.fitView({ nodes: [{ id: `s:${state.name}` }], maxZoom: 1.1, minZoom: READABLE_ZOOM, duration: 250 }));
    // Only when a new focus request arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);

  // Save every position when the layout was automatic, so the whole machine keeps its shape.
  const layoutRef = useRef({ complete, positions });
  layoutRef.current = { complete, positions };
  const commitMoves = useCallback(
    (moved: Record<string, Position>) => {
      const { complete: whole, positions: shown } = layoutRef.current;
      edit({ type: 'moveStates', resource: resourceIndex, positions: whole ? moved : { ...(shown ?? {}), ...moved } });
    },
    [edit, resourceIndex],
  );
  const mouseDrag = useRef(false);

  const onNodesChange = useCallback(
    (changes: NodeChange<StateNodeType>[]) => {
      setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type === 'position' || c.type === 'dimensions'), ns));
      // Keyboard: Enter selects the focused state, arrow keys move it (React Flow reports a finished move).
      for (const c of changes) {
        if (c.type === 'select' && c.selected) {
          const name = stateOfNode(c.id);
          if (name) store.dispatch({ type: 'select', selection: { kind: 'state', resource: resourceIndex, name } });
        }
      }
      const moved = changes.flatMap((c) => (c.type === 'position' && c.position && c.dragging === false ? [{ id: c.id, position: c.position }] : []));
      if (moved.length && !mouseDrag.current) commitMoves(nodesToPositions(moved));
    },
    [store, resourceIndex, commitMoves],
  );

  const onNodeDragStart = useCallback(() => {
    mouseDrag.current = true;
  }, []);
  const onNodeDragStop = useCallback(
    (_: unknown, _node: StateNodeType, dragged: StateNodeType[]) => {
      mouseDrag.current = false;
      commitMoves(nodesToPositions(dragged));
    },
    [commitMoves],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const from = stateOfNode(c.source);
      const to = stateOfNode(c.target);
      if (from && to && from !== to) edit({ type: 'addTransition', resource: resourceIndex, from, to });
    },
    [edit, resourceIndex],
  );

  // Stable handlers: a new function each render would update React Flow's store on every drag frame.
  const onNodeClick = useCallback(
    (_: unknown, node: StateNodeType) => store.dispatch({ type: 'select', selection: { kind: 'state', resource: resourceIndex, name: node.data.name } }),
    [store, resourceIndex],
  );
  const onEdgeClick = useCallback(
    (_: unknown, edge: Edge) => {
      const index = transitionOfEdge(edge.id);
      if (index !== null) store.dispatch({ type: 'select', selection: { kind: 'transition', resource: resourceIndex, index } });
    },
    [store, resourceIndex],
  );
  const onPaneClick = useCallback(() => store.dispatch({ type: 'select', selection: null }), [store]);

  const addStateAt = useCallback(
    (position: Position) => {
      if (!resource) return;
      const name = freshName('state', resource.states.map((s) => s.name));
      const at = { x: Math.round(position.x - NODE_WIDTH / 2), y: Math.round(position.y - NODE_HEIGHT / 2) };
      edit({ type: 'addState', resource: resourceIndex, name, kind: 'stable', position: at, ...(complete ? {} : { layout: positions ?? {} }) });
      store.dispatch({ type: 'select', selection: { kind: 'state', resource: resourceIndex, name } });
    },
    [edit, resource, resourceIndex, store, complete, positions],
  );

  const addStateInView = () => {
    const box = wrapper.current?.getBoundingClientRect();
    const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    // The nearest place to the centre of the view that overlaps no state.
    const spot = freeSpot({ x: center.x - NODE_WIDTH / 2, y: center.y - NODE_HEIGHT / 2 }, nodes.map((n) => n.position));
    addStateAt({ x: spot.x + NODE_WIDTH / 2, y: spot.y + NODE_HEIGHT / 2 });
  };

  const runLayout = async () => {
    if (!resource) return;
    edit({ type: 'setLayout', resource: resourceIndex, positions: (await autoLayout(resource)) });
    requestAnimationFrame(() => requestAnimationFrame(() => fitReadable(200)));
  };

  if (!resource) return <p className="muted">No resource selected.</p>;
  return (
    <div className={styles.canvasWrap}>
      <div className={styles.toolbar} role="toolbar" aria-label="Canvas tools">
        {editTools && (
          <>
            <button type="button" className="btn btn-small" onClick={addStateInView} disabled={readOnly}>
              + State
            </button>
            <button type="button" className="btn btn-small" onClick={runLayout} disabled={readOnly} title="Arrange the states automatically (elk)">
              Auto layout
            </button>
          </>
        )}
        <button type="button" className="btn btn-small" onClick={() => fitReadable(200)} title="Show as much of the machine as fits while its names stay readable">
          Zoom to fit
        </button>
        {editTools && (
          <span className={styles.hint} title="Double-click the canvas to add a state · drag from a state’s lower handle to another state to add a transition · double-click a name to rename · Delete removes the selection">
            Double-click: new state · drag a handle to a state: new transition · Delete: remove
          </span>
        )}
      </div>
      <div
        ref={wrapper}
        className={styles.canvas}
        data-testid="state-canvas"
        tabIndex={-1}
        onDoubleClick={(e) => {
          if (readOnly) return;
          const el = e.target as HTMLElement;
          if (!el.closest('.react-flow') || el.closest('.react-flow__node, .react-flow__edge, .react-flow__edgelabel-renderer, .react-flow__controls, .react-flow__minimap, .react-flow__panel')) return;
          addStateAt(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        }}
        onKeyDown={(e) => {
          const el = e.target as HTMLElement;
          if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return;
          if (e.key === 'Delete' || e.key === 'Backspace') {
            e.preventDefault();
            deleteSelection();
          }
        }}
      >
        <RoutesContext.Provider value={routes}>
        <ReactFlow<StateNodeType>
          nodes={nodes}
          edges={derived.edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onNodeClick={onNodeClick}
          onEdgeClick={onEdgeClick}
          onPaneClick={onPaneClick}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          zoomOnDoubleClick={false}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          connectionLineType={ConnectionLineType.Bezier}
          onlyRenderVisibleElements={resource.states.length > 60}
          minZoom={READABLE_ZOOM}
          attributionPosition="top-right"
        >
          <Background gap={20} size={1} color="#d9dee6" />
          <MiniMap pannable zoomable style={MINIMAP_STYLE} nodeColor={minimapColor} nodeStrokeWidth={2} />
          <Controls showInteractive={false} />
        </ReactFlow>
        </RoutesContext.Provider>
      </div>
    </div>
  );
}

/** Up to this many states the editor keeps ELK's edge routes current while the machine is edited. */
const ROUTE_LIMIT = 60;
const MINIMAP_STYLE = { width: 150, height: 100 };
const minimapColor = (n: { data: unknown }) => MINIMAP_COLORS[(n.data as StateNodeType['data']).kind];
const MINIMAP_COLORS: Record<Resource['states'][number]['kind'], string> = {
  stable: '#93b4f5',
  transitional: '#f6c76b',
  terminal: '#9ca3af',
  error: '#f19a9f',
};

/** What ELK's layout depends on: the states and the transitions with their names. */
function structureKey(resource: Resource): string {
  return JSON.stringify([resource.name, resource.states.map((s) => s.name), resource.transitions.map((t) => [t.from, t.to, t.name ?? ''])]);
}

/**
 * The routes still right for the states as they are now: both ends where ELK put
 * them, and no state moved onto the route or its name since.
 */
function validRoutes(layout: RoutedLayout | null, nodes: readonly StateNodeType[]): ReadonlyMap<number, RoutedLayout['edges'][number]> {
  const out = new Map<number, RoutedLayout['edges'][number]>();
  if (!layout) return out;
  const at = new Map(nodes.map((n) => [n.data.name, n.position]));
  const inPlace = (name: string) => {
    const now = at.get(name);
    const then = layout.positions[name];
    return !!now && !!then && Math.abs(now.x - then.x) <= 1 && Math.abs(now.y - then.y) <= 1;
  };
  const moved = nodes.filter((n) => !inPlace(n.data.name)).map((n) => ({ x: n.position.x, y: n.position.y, width: NODE_WIDTH, height: NODE_HEIGHT }));
  for (const e of layout.edges) {
    if (!inPlace(e.from) || !inPlace(e.to)) continue;
    const blocked = moved.some((m) => (e.label && rectsOverlap(e.label, m)) || e.points.some((p, i) => i > 0 && segmentCrossesRect(e.points[i - 1], p, m)));
    if (!blocked) out.set(e.index, e);
  }
  return out;
}
