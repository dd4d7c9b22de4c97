/**
 * Fairness of a component and the least fair cycle through a state, on a
 * recorded graph (liveness-graph.ts). Weak fairness: a cycle is fair when
 * every obligation (a process; a crashed holder's lease running out) either
 * acts on one of its edges or is disabled in one of its states. Fault edges
 * discharge nothing.
 *
 * A strongly connected component holds a fair cycle iff every obligation
 * enabled in all its states acts on one of its inner edges: a tour of the
 * whole component is then such a cycle (Emerson–Lei for weak fairness).
 */
import { FAULT, type LiveGraph } from './liveness-graph';

type Graph = Pick<LiveGraph, 'states' | 'firstEdge' | 'target' | 'actor' | 'words' | 'enabled'>;

/** Whether the component `id` (members with component[v] === id) holds a fair cycle. */
export function isFairComponent(graph: Graph, members: ArrayLike<number>, id: number, component: Int32Array): boolean {
  const W = graph.words;
  const always = new Uint32Array(W).fill(0xffffffff);
  const acted = new Uint32Array(W);
  for (let m = 0; m < members.length; m++) {
    const v = members[m];
    for (let w = 0; w < W; w++) always[w] &= graph.enabled[v * W + w];
    for (let e = graph.firstEdge[v]; e < graph.firstEdge[v + 1]; e++) {
      const a = graph.actor[e];
      if (a !== FAULT && component[graph.target[e]] === id) acted[a >>> 5] |= 1 << (a & 31);
    }
  }
  for (let w = 0; w < W; w++) if ((always[w] & ~acted[w]) !== 0) return false;
  return true;
}

/** State × satisfied-obligation pairs the least-cycle search may visit before it settles for a fair cycle that may be longer. */
export const MAX_CYCLE_PAIRS = 1 << 22;

export interface FairCycle {
  /** Edge indices, the first leaving `start`, the last entering it. */
  edges: number[];
  /** False when the pair search was over its bound and the cycle was built greedily (fair, not necessarily least). */
  least: boolean;
}

/**
 * The least fair cycle through `start` that stays inside `members` (a fair
 * strongly connected set): breadth-first over (state, obligations satisfied so
 * far). Over `maxPairs` pairs it builds one greedily instead: the nearest
 * edge or state that satisfies a missing obligation, repeatedly, then back.
 */
export function leastFairCycle(graph: Graph, members: ArrayLike<number>, start: number, maxPairs = MAX_CYCLE_PAIRS): FairCycle | null {
  const W = graph.words;
  // State → its index in `members` (-1: outside the set).
  const localOf = new Int32Array(graph.states).fill(-1);
  for (let m = 0; m < members.length; m++) localOf[members[m]] = m;
  if (localOf[start] < 0) return null;
  // Obligations enabled somewhere in the set: the others hold on any cycle.
  const any = new Uint32Array(W);
  for (let m = 0; m < members.length; m++) for (let w = 0; w < W; w++) any[w] |= graph.enabled[members[m] * W + w];
  const relevant: number[] = [];
  const bitOf = new Map<number, number>();
  for (let e = 0; e < W * 32; e++) if (any[e >>> 5] & (1 << (e & 31))) bitOf.set(e, relevant.push(e) - 1);
  const r = relevant.length;
  const full = r >= 31 ? -1 : (1 << r) - 1;
  const disabledMask = (v: number): number => {
    let mask = 0;
    for (let j = 0; j < r; j++) {
      const e = relevant[j];
      if (!(graph.enabled[v * W + (e >>> 5)] & (1 << (e & 31)))) mask |= 1 << j;
    }
    return mask;
  };
  const actMask = (edge: number): number => {
    const a = graph.actor[edge];
    if (a === FAULT) return 0;
    const j = bitOf.get(a);
    return j === undefined ? 0 : 1 << j;
  };
  const n = members.length;
  if (r < 31 && n * 2 ** r <= maxPairs) return { edges: pairSearch(), least: true };
  return greedy();

  function pairSearch(): number[] {
    const stride = 2 ** r;
    const size = n * stride;
    const prevPair = new Int32Array(size).fill(-1);
    const prevEdge = new Int32Array(size);
    const queue = new Int32Array(size);
    const dis = new Int32Array(n);
    for (let m = 0; m < n; m++) dis[m] = disabledMask(members[m]);
    const startLocal = localOf[start];
    const first = startLocal * stride + dis[startLocal];
    prevPair[first] = first;
    let head = 0;
    let tail = 0;
    queue[tail++] = first;
    while (head < tail) {
      const pair = queue[head++];
      const u = members[Math.floor(pair / stride)];
      const mask = pair % stride;
      for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
        const local = localOf[graph.target[e]];
        if (local < 0) continue;
        const nextMask = mask | actMask(e) | dis[local];
        if (local === startLocal && nextMask === full) {
          const edges = [e];
          for (let p = pair; p !== first; p = prevPair[p]) edges.push(prevEdge[p]);
          return edges.reverse();
        }
        const next = local * stride + nextMask;
        if (prevPair[next] >= 0) continue;
        prevPair[next] = pair;
        prevEdge[next] = e;
        queue[tail++] = next;
      }
    }
    throw new Error('no fair cycle through the start state: the component is not fair');
  }

  function greedy(): FairCycle {
    const satisfied = new Set<number>();
    const satisfy = (bits: number[]) => bits.forEach((e) => satisfied.add(e));
    const disabledAt = (v: number) => relevant.filter((e) => !(graph.enabled[v * W + (e >>> 5)] & (1 << (e & 31))));
    satisfy(disabledAt(start));
    const edges: number[] = [];
    let at = start;
    while (satisfied.size < r) {
      const path = pathFrom(at, (e, v) => {
        const a = graph.actor[e];
        return (a !== FAULT && bitOf.has(a) && !satisfied.has(a)) || disabledAt(v).some((x) => !satisfied.has(x));
      });
      for (const e of path) {
        const a = graph.actor[e];
        if (a !== FAULT && bitOf.has(a)) satisfied.add(a);
        satisfy(disabledAt(graph.target[e]));
      }
      edges.push(...path);
      at = graph.target[path[path.length - 1]];
    }
    if (at !== start || edges.length === 0) edges.push(...pathFrom(at, (_e, v) => v === start));
    return { edges, least: false };
  }

  /** Shortest path of one edge or more from `from`, inside the set, whose last edge meets `goal`. */
  function pathFrom(from: number, goal: (edge: number, to: number) => boolean): number[] {
    const prev = new Map<number, number>(); // state → edge that reached it
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
        const v = graph.target[e];
        if (localOf[v] < 0) continue;
        if (goal(e, v)) {
          const path = [e];
          for (let x = u; x !== from; x = sourceOf(graph, path[path.length - 1])) path.push(prev.get(x)!);
          return path.reverse();
        }
        if (prev.has(v) || v === from) continue;
        prev.set(v, e);
        queue.push(v);
      }
    }
    throw new Error('the set is not strongly connected');
  }
}

/** The state an edge leaves (rows are sorted by offset). */
export function sourceOf(graph: Pick<LiveGraph, 'states' | 'firstEdge'>, edge: number): number {
  let lo = 0;
  let hi = graph.states - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (graph.firstEdge[mid] <= edge) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
