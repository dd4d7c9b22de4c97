/**
 * The liveness search's graph algorithms on graphs built by hand: which
 * components hold a cycle, which are fair under weak fairness, and the least
 * fair cycle through a state.
 */
import { describe, expect, it } from 'vitest';
import { FAULT } from './liveness-graph';
import { isFairComponent, leastFairCycle, sourceOf } from './liveness-lasso';
import { forEachCyclicComponent } from './liveness-scc';

/** edges: [from, to, actor (FAULT for a fault)]; enabled[s]: the obligations enabled in state s. */
function graphOf(states: number, edges: Array<[number, number, number]>, enabled: number[][]) {
  const sorted = [...edges].sort((a, b) => a[0] - b[0]);
  const firstEdge = new Uint32Array(states + 1);
  for (const [from] of sorted) firstEdge[from + 1]++;
  for (let s = 0; s < states; s++) firstEdge[s + 1] += firstEdge[s];
  const en = new Uint32Array(states);
  enabled.forEach((list, s) => list.forEach((e) => (en[s] |= 1 << e)));
  return {
    states,
    firstEdge,
    target: Uint32Array.from(sorted.map((e) => e[1])),
    actor: Uint16Array.from(sorted.map((e) => e[2])),
    words: 1,
    enabled: en,
  };
}

function components(graph: ReturnType<typeof graphOf>, inside: ((s: number) => boolean) | null = null) {
  const out: Array<{ members: number[]; fair: boolean }> = [];
  forEachCyclicComponent(graph, inside, (members, id, component) =>
    out.push({ members: [...members].sort((a, b) => a - b), fair: isFairComponent(graph, members, id, component) }),
  );
  return out;
}

/** Checks a cycle really is one, through `start`, and fair: every obligation acts on it or is disabled somewhere on it. */
function expectFairCycle(graph: ReturnType<typeof graphOf>, edges: number[], start: number, obligations: number) {
  expect(sourceOf(graph, edges[0])).toBe(start);
  expect(graph.target[edges[edges.length - 1]]).toBe(start);
  for (let i = 1; i < edges.length; i++) expect(sourceOf(graph, edges[i])).toBe(graph.target[edges[i - 1]]);
  for (let o = 0; o < obligations; o++) {
    const acts = edges.some((e) => graph.actor[e] === o);
    const disabled = edges.some((e) => !(graph.enabled[sourceOf(graph, e)] & (1 << o)));
    expect(acts || disabled, `obligation ${o} on the cycle`).toBe(true);
  }
}

describe('cyclic components', () => {
  it('a chain has none; a self-loop and a two-state loop are one each', () => {
    expect(components(graphOf(3, [[0, 1, 0], [1, 2, 0]], [[0], [0], []]))).toEqual([]);
    const g = graphOf(4, [[0, 1, 0], [1, 1, 0], [1, 2, 0], [2, 3, 0], [3, 2, 0]], [[0], [0], [0], [0]]);
    expect(components(g).map((c) => c.members)).toEqual([[2, 3], [1]]);
  });

  it('a chain of 300 000 states ending in a loop does not overflow the stack', () => {
    const n = 300_000;
    const edges: Array<[number, number, number]> = [];
    for (let s = 0; s + 1 < n; s++) edges.push([s, s + 1, 0]);
    edges.push([n - 1, n - 1000, 0]);
    const found = components(graphOf(n, edges, Array.from({ length: n }, () => [0])));
    expect(found).toHaveLength(1);
    expect(found[0].members).toHaveLength(1000);
  });

  it('restricted to some states, edges leaving them do not count', () => {
    // 0 → 1 → 2 → 0: with state 2 outside, no cycle is left.
    const g = graphOf(3, [[0, 1, 0], [1, 2, 0], [2, 0, 0]], [[0], [0], [0]]);
    expect(components(g, (s) => s !== 2)).toEqual([]);
    expect(components(g, null).map((c) => c.members)).toEqual([[0, 1, 2]]);
  });
});

describe('weak fairness of a component', () => {
  it('a process enabled throughout that never acts makes the loop unfair', () => {
    // Process 0 spins in state 0; process 1 could always move to state 1.
    const g = graphOf(2, [[0, 0, 0], [0, 1, 1]], [[0, 1], []]);
    expect(components(g)).toEqual([{ members: [0], fair: false }]);
  });

  it('a process blocked somewhere on the loop may starve: the loop is fair', () => {
    // 0 ↔ 1 by process 0; process 1 is enabled in 0 only (a blocking wait whose guard holds now and then).
    const g = graphOf(3, [[0, 1, 0], [1, 0, 0], [0, 2, 1]], [[0, 1], [0], []]);
    expect(components(g)).toEqual([{ members: [0, 1], fair: true }]);
  });

  it('fault edges are not progress', () => {
    // Process 0 enabled in both states, but the loop's only edges are faults.
    const g = graphOf(2, [[0, 1, FAULT], [1, 0, FAULT]], [[0], [0]]);
    expect(components(g)).toEqual([{ members: [0, 1], fair: false }]);
  });
});

describe('least fair cycle', () => {
  // Process 0 loops 0 → 0 alone (unfair: process 1 is always enabled in state 0)
  // or goes round 0 → 1 → 2 → 0 where process 1 acts once.
  const g = graphOf(
    3,
    [
      [0, 0, 0],
      [0, 1, 0],
      [1, 2, 1],
      [2, 0, 0],
      [1, 0, 0],
    ],
    [[0, 1], [0, 1], [0]],
  );

  it('skips the shorter unfair loop and returns the least fair one', () => {
    const cycle = leastFairCycle(g, [0, 1, 2], 0)!;
    expect(cycle.least).toBe(true);
    expect(cycle.edges).toHaveLength(3);
    expectFairCycle(g, cycle.edges, 0, 2);
  });

  it('past its bound it still returns a fair cycle, marked as maybe not least', () => {
    const cycle = leastFairCycle(g, [0, 1, 2], 0, 1)!;
    expect(cycle.least).toBe(false);
    expectFairCycle(g, cycle.edges, 0, 2);
  });

  it('a state whose obligations are all disabled still needs one edge', () => {
    const h = graphOf(1, [[0, 0, FAULT]], [[]]);
    expect(leastFairCycle(h, [0], 0)!.edges).toEqual([0]);
    expect(leastFairCycle(h, [0], 0, 0)!.edges).toEqual([0]);
  });
});
