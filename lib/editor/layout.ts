/**
 * Automatic layout of a state machine with elkjs (layered). Runs ELK's bundled
 * build in-process; a few hundred states take well under a second. The editor
 * lays machines out top to bottom; the trace view's read-only diagrams left to
 * right (they are wider than tall).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Resource } from '@/lib/model';
import type { Position } from './actions';
import { NODE_HEIGHT, NODE_WIDTH } from './graph';

let elk: InstanceType<typeof ELK> | null = null;

const EDITOR_OPTIONS = (resource: Resource): Record<string, string> => ({
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '70',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.edgeNode': '30',
  // Long machines wrap into several columns instead of one very tall one.
  ...(resource.states.length > 30 ? { 'elk.aspectRatio': '1.6', 'elk.layered.wrapping.strategy': 'MULTI_EDGE' } : {}),
});

const DIAGRAM_OPTIONS: Record<string, string> = {
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '30',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
};

/** Positions for the editor's canvas (top to bottom). */
export function autoLayout(resource: Resource): Promise<Record<string, Position>> {
  return layout(resource, EDITOR_OPTIONS(resource));
}

/** Positions for a read-only diagram (left to right). */
export function layoutRight(resource: Resource): Promise<Record<string, Position>> {
  return layout(resource, DIAGRAM_OPTIONS);
}

async function layout(resource: Resource, options: Record<string, string>): Promise<Record<string, Position>> {
  elk ??= new ELK();
  const names = new Set(resource.states.map((s) => s.name));
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      ...options,
    },
    children: resource.states.map((s) => ({ id: s.name, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: resource.transitions
      .filter((t) => names.has(t.from) && names.has(t.to) && t.from !== t.to)
      .map((t, i) => ({ id: `e${i}`, sources: [t.from], targets: [t.to] })),
  });
  const out: Record<string, Position> = {};
  for (const child of graph.children ?? []) out[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return out;
}
