/**
 * Layout of a read-only state diagram with elk (layered, left to right: the
 * trace view's diagrams are wider than tall). A few states take milliseconds.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Resource } from '@/lib/model';
import { NODE_HEIGHT, NODE_WIDTH } from '@/lib/editor/graph';

let elk: InstanceType<typeof ELK> | null = null;

export async function layoutRight(resource: Resource): Promise<Record<string, { x: number; y: number }>> {
  elk ??= new ELK();
  const names = new Set(resource.states.map((s) => s.name));
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: resource.states.map((s) => ({ id: s.name, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: resource.transitions
      .filter((t) => names.has(t.from) && names.has(t.to) && t.from !== t.to)
      .map((t, i) => ({ id: `e${i}`, sources: [t.from], targets: [t.to] })),
  });
  const out: Record<string, { x: number; y: number }> = {};
  for (const child of graph.children ?? []) out[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return out;
}
