/**
 * Automatic layout of a state machine with elkjs (layered), edges included:
 * ELK places the states, routes every transition orthogonally around them and
 * places each transition's name as a box of its own, so names neither overlap
 * one another nor sit on a state. Runs ELK's bundled build in-process; a few
 * hundred states take well under a second. The editor lays machines out top
 * to bottom; the trace view's read-only diagrams left to right.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Resource } from '@/lib/model';
import type { Position } from './actions';
import { NODE_HEIGHT, NODE_WIDTH } from './graph';
import { labelSize, type Point, type Rect } from './edge-geometry';

let elk: InstanceType<typeof ELK> | null = null;

export type Direction = 'DOWN' | 'RIGHT';

/** One transition as ELK routed it: its polyline (start, bends, end) and its name's box. */
export interface RoutedEdge {
  /** Index of the transition in `resource.transitions`. */
  index: number;
  from: string;
  to: string;
  points: Point[];
  label: Rect | null;
}

/** States placed and transitions routed; every coordinate lies inside `width` × `height`. */
export interface RoutedLayout {
  positions: Record<string, Position>;
  edges: RoutedEdge[];
  width: number;
  height: number;
}

const COMMON: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Names become boxes in the layering, so ELK keeps them apart from each other and from states.
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeEdge': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.layered.mergeEdges': 'false',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

const OPTIONS: Record<Direction, (resource: Resource) => Record<string, string>> = {
  DOWN: (resource) => ({
    'elk.direction': 'DOWN',
    'elk.spacing.nodeNode': '60',
    'elk.layered.spacing.nodeNodeBetweenLayers': '50',
    'elk.spacing.edgeNode': '24',
    // Long machines wrap into several columns instead of one very tall one.
    ...(resource.states.length > 30 ? { 'elk.aspectRatio': '1.6', 'elk.layered.wrapping.strategy': 'MULTI_EDGE' } : {}),
  }),
  RIGHT: () => ({
    'elk.direction': 'RIGHT',
    'elk.spacing.nodeNode': '28',
    'elk.layered.spacing.nodeNodeBetweenLayers': '36',
    'elk.spacing.edgeNode': '16',
  }),
};

/** Tighter spacing for small read-only diagrams (the trace view's), where every pixel of zoom counts. */
const COMPACT: Record<string, string> = {
  'elk.spacing.nodeNode': '20',
  'elk.layered.spacing.nodeNodeBetweenLayers': '16',
  'elk.layered.spacing.edgeNodeBetweenLayers': '8',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.spacing.edgeNode': '10',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '2',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
};

/** Positions for the editor's canvas (top to bottom, compact: a machine fits the canvas at a readable zoom more often). */
export async function autoLayout(resource: Resource): Promise<Record<string, Position>> {
  return (await routedLayout(resource, 'DOWN', undefined, true)).positions;
}

/** Positions for a read-only diagram (left to right). */
export async function layoutRight(resource: Resource): Promise<Record<string, Position>> {
  return (await routedLayout(resource, 'RIGHT')).positions;
}

/** Which transitions are drawn as routed edges: both ends exist and differ (a self-loop is not routed). */
function routable(resource: Resource) {
  const names = new Set(resource.states.map((s) => s.name));
  return resource.transitions.map((t, index) => ({ t, index })).filter(({ t }) => names.has(t.from) && names.has(t.to) && t.from !== t.to);
}

/**
 * States and transitions laid out together. The result is a pure function of
 * the resource's states, transitions and names, so the editor can lay a
 * machine out again later and recognise that its saved positions are ELK's.
 */
export async function routedLayout(
  resource: Resource,
  direction: Direction,
  node: { width: number; height: number } = { width: NODE_WIDTH, height: NODE_HEIGHT },
  compact = false,
): Promise<RoutedLayout> {
  elk ??= new ELK();
  const edges = routable(resource);
  const graph: ElkNode = await elk.layout({
    id: 'root',
    layoutOptions: { ...COMMON, ...OPTIONS[direction](resource), ...(compact ? COMPACT : {}) },
    children: resource.states.map((s) => ({ id: `s:${s.name}`, width: node.width, height: node.height })),
    edges: edges.map(({ t, index }) => ({
      id: `t:${index}`,
      sources: [`s:${t.from}`],
      targets: [`s:${t.to}`],
      ...(t.name ? { labels: [{ id: `l:${index}`, text: t.name, ...labelSize(t.name) }] } : {}),
    })),
  });
  const positions: Record<string, Position> = {};
  for (const child of graph.children ?? []) positions[child.id.slice(2)] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  const byId = new Map((graph.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const routed: RoutedEdge[] = edges.map(({ t, index }) => {
    const e = byId.get(`t:${index}`);
    const points: Point[] = [];
    for (const s of e?.sections ?? []) {
      if (points.length === 0) points.push(s.startPoint);
      points.push(...(s.bendPoints ?? []), s.endPoint);
    }
    const l = e?.labels?.[0];
    return {
      index,
      from: t.from,
      to: t.to,
      points: points.map((p) => ({ x: round1(p.x), y: round1(p.y) })),
      label: l ? { x: round1(l.x ?? 0), y: round1(l.y ?? 0), width: l.width ?? 0, height: l.height ?? 0 } : null,
    };
  });
  return { positions, edges: routed, width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0) };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Smallest on-screen size of a state's name on a canvas, and the name's CSS size (canvas.module.css .stateName). */
export const MIN_READABLE_PX = 12;
export const STATE_NAME_PX = 14;
/** The canvas never zooms out further than this: names stay at MIN_READABLE_PX or more. */
export const READABLE_ZOOM = MIN_READABLE_PX / STATE_NAME_PX;
