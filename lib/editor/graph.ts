/**
 * Pure adapters between a resource of the model and React Flow's nodes and
 * edges. Only types come from @xyflow/react; nothing here renders.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Resource, StateKind } from '@/lib/model';
import type { Position } from './actions';

export const NODE_WIDTH = 156;
export const NODE_HEIGHT = 50;

export type StateNodeData = {
  name: string;
  kind: StateKind;
  initial: boolean;
  description?: string;
  /** How many problems point at this state (its name, or transitions from/to it). */
  problems: number;
  resource: number;
  /** Index of the state in its resource (for `resources[r].states[i]` paths). */
  index: number;
};
export type StateNode = Node<StateNodeData, 'state'>;
export type TransitionEdge = Edge<{ index: number; name?: string; problems: number; bend: number }>;

export const stateNodeId = (name: string) => `s:${name}`;
export const transitionEdgeId = (index: number) => `t:${index}`;
export const stateOfNode = (id: string) => (id.startsWith('s:') ? id.slice(2) : null);
export const transitionOfEdge = (id: string) => (id.startsWith('t:') ? Number(id.slice(2)) : null);

/** Where states without a saved position go: a simple grid, so nothing overlaps before automatic layout. */
export function fallbackPosition(index: number): Position {
  return { x: (index % 4) * (NODE_WIDTH + 60), y: Math.floor(index / 4) * (NODE_HEIGHT + 70) };
}

/** Whether every state has a saved position. */
export function hasLayout(resource: Resource, positions: Record<string, Position> | undefined): boolean {
  return !!positions && resource.states.every((s) => positions[s.name] !== undefined);
}

export interface GraphOptions {
  resourceIndex: number;
  positions?: Record<string, Position>;
  selectedState?: string | null;
  selectedTransition?: number | null;
  /** Problem counts by state name and by transition index. */
  stateProblems?: Map<string, number>;
  transitionProblems?: Map<number, number>;
}

export function resourceToNodes(resource: Resource, options: GraphOptions): StateNode[] {
  return resource.states.map((state, i) => ({
    id: stateNodeId(state.name),
    type: 'state',
    position: options.positions?.[state.name] ?? fallbackPosition(i),
    selected: options.selectedState === state.name,
    data: {
      name: state.name,
      kind: state.kind,
      initial: resource.initial === state.name,
      ...(state.description ? { description: state.description } : {}),
      problems: options.stateProblems?.get(state.name) ?? 0,
      resource: options.resourceIndex,
      index: i,
    },
  }));
}

/** Whether the straight line between two state centres passes through another state's box. */
function crossesOtherState(from: string, to: string, centres: Map<string, Position>): boolean {
  const a = centres.get(from);
  const b = centres.get(to);
  if (!a || !b) return false;
  const padX = NODE_WIDTH / 2 + 6;
  const padY = NODE_HEIGHT / 2 + 6;
  const [minX, maxX] = a.x < b.x ? [a.x - padX, b.x + padX] : [b.x - padX, a.x + padX];
  const [minY, maxY] = a.y < b.y ? [a.y - padY, b.y + padY] : [b.y - padY, a.y + padY];
  for (const [name, c] of centres) {
    if (name === from || name === to || c.x < minX || c.x > maxX || c.y < minY || c.y > maxY) continue;
    for (let k = 1; k < 24; k++) {
      const x = a.x + ((b.x - a.x) * k) / 24;
      const y = a.y + ((b.y - a.y) * k) / 24;
      if (Math.abs(x - c.x) < padX && Math.abs(y - c.y) < padY) return true;
    }
  }
  return false;
}

/** Sideways bend of each transition: opposite pairs bend apart; a line through another state arcs around it. */
export function edgeBends(resource: Resource, positions: Record<string, Position> | undefined): number[] {
  const pairs = new Set(resource.transitions.map((t) => `${t.from}->${t.to}`));
  const centres = new Map(
    resource.states.map((s, i) => {
      const p = positions?.[s.name] ?? fallbackPosition(i);
      return [s.name, { x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 }] as const;
    }),
  );
  return resource.transitions.map((t) => {
    if (pairs.has(`${t.to}->${t.from}`)) return 28;
    if (!crossesOtherState(t.from, t.to, centres)) return 0;
    const a = centres.get(t.from)!;
    const b = centres.get(t.to)!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const bend = Math.min(160, Math.max(70, len / 4));
    // Arc to the side with more room: the one whose apex is farther from other states.
    const room = (sign: number) => {
      const apex = { x: (a.x + b.x) / 2 + (-(b.y - a.y) / len) * bend * sign, y: (a.y + b.y) / 2 + ((b.x - a.x) / len) * bend * sign };
      let nearest = Infinity;
      for (const [name, c] of centres) if (name !== t.from && name !== t.to) nearest = Math.min(nearest, Math.hypot((c.x - apex.x) / NODE_WIDTH, (c.y - apex.y) / NODE_HEIGHT));
      return nearest;
    };
    return room(-1) > room(1) ? -bend : bend;
  });
}

export function resourceToEdges(resource: Resource, options: GraphOptions): TransitionEdge[] {
  const names = new Set(resource.states.map((s) => s.name));
  const bends = edgeBends(resource, options.positions);
  return resource.transitions
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => names.has(t.from) && names.has(t.to))
    .map(({ t, index }) => {
      const problems = options.transitionProblems?.get(index) ?? 0;
      return {
        id: transitionEdgeId(index),
        type: 'transition',
        source: stateNodeId(t.from),
        target: stateNodeId(t.to),
        ...(t.name ? { label: t.name } : {}),
        // Screen readers hear names, not React Flow's internal ids ("Edge from s:available…").
        ariaLabel: `transition ${t.from} → ${t.to}${t.name ? ` (${t.name})` : ''}`,
        selected: options.selectedTransition === index,
        data: { index, ...(t.name ? { name: t.name } : {}), problems, bend: bends[index] },
        ...(problems > 0 ? { className: 'has-problem' } : {}),
      };
    });
}

/** Positions of nodes by state name, rounded (what `layout` stores). */
export function nodesToPositions(nodes: ReadonlyArray<Pick<Node, 'id' | 'position'>>): Record<string, Position> {
  const out: Record<string, Position> = {};
  for (const node of nodes) {
    const name = stateOfNode(node.id);
    if (name !== null) out[name] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  }
  return out;
}

/** A name not yet taken: `base`, `base_2`, `base_3`… */
export function freshName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Counts problems by state and transition for one resource from issue paths. */
export function problemsByElement(resource: Resource, resourceIndex: number, paths: readonly string[]) {
  const stateProblems = new Map<string, number>();
  const transitionProblems = new Map<number, number>();
  const base = `resources[${resourceIndex}]`;
  const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const path of paths) {
    if (!path.startsWith(base)) continue;
    const state = /^\.states\[(\d+)\]/.exec(path.slice(base.length));
    if (state) {
      const s = resource.states[Number(state[1])];
      if (s) bump(stateProblems, s.name);
      continue;
    }
    const t = /^\.transitions\[(\d+)\]/.exec(path.slice(base.length));
    if (t) bump(transitionProblems, Number(t[1]));
  }
  return { stateProblems, transitionProblems };
}

/** The free place nearest to `at` (a node's top-left) where a new state overlaps none of `taken`. */
export function freeSpot(at: Position, taken: readonly Position[]): Position {
  const stepX = NODE_WIDTH + 50;
  const stepY = NODE_HEIGHT + 60;
  const clear = (p: Position) => taken.every((q) => Math.abs(p.x - q.x) >= NODE_WIDTH + 20 || Math.abs(p.y - q.y) >= NODE_HEIGHT + 20);
  const candidates: Position[] = [];
  for (let ring = 0; ring <= 8; ring++)
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++)
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) candidates.push({ x: at.x + i * stepX, y: at.y + j * stepY });
  candidates.sort((a, b) => Math.hypot(a.x - at.x, (a.y - at.y) * 1.5) - Math.hypot(b.x - at.x, (b.y - at.y) * 1.5));
  return candidates.find(clear) ?? { x: at.x, y: at.y + 9 * stepY };
}
