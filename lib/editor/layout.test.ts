import { describe, expect, it } from 'vitest';
import type { Resource } from '@/lib/model';
import { autoLayout } from './layout';
import { NODE_HEIGHT, NODE_WIDTH, resourceToEdges, resourceToNodes } from './graph';
import { loadExample } from './fixtures';

/** A 200-state machine: a chain with back edges and a few long jumps. */
function bigMachine(n = 200): Resource {
  const states = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, kind: (i % 7 === 3 ? 'transitional' : 'stable') as 'stable' | 'transitional' }));
  const transitions = states.flatMap((s, i) => [
    ...(i + 1 < n ? [{ from: s.name, to: `s${i + 1}` }] : []),
    ...(i % 5 === 4 ? [{ from: s.name, to: `s${i - 3}` }] : []),
    ...(i % 11 === 0 && i + 9 < n ? [{ from: s.name, to: `s${i + 9}` }] : []),
  ]);
  return { name: 'Big', states, initial: 's0', transitions };
}

describe('automatic layout (elk)', () => {
  it('places every state of the share example without overlaps', async () => {
    const share = loadExample().resources[0];
    const pos = await autoLayout(share);
    expect(Object.keys(pos).sort()).toEqual(share.states.map((s) => s.name).sort());
    const boxes = Object.values(pos);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const overlap = Math.abs(boxes[i].x - boxes[j].x) < NODE_WIDTH && Math.abs(boxes[i].y - boxes[j].y) < NODE_HEIGHT;
        expect(overlap).toBe(false);
      }
  });
  it('lays out and adapts a 200-state machine quickly', async () => {
    const big = bigMachine();
    const t0 = performance.now();
    const positions = await autoLayout(big);
    resourceToEdges(big, { resourceIndex: 0, positions }); // warm up
    const t1 = performance.now();
    const nodes = resourceToNodes(big, { resourceIndex: 0, positions });
    const edges = resourceToEdges(big, { resourceIndex: 0, positions });
    const t2 = performance.now();
    console.log(`200 states: elk ${Math.round(t1 - t0)} ms, adapters ${(t2 - t1).toFixed(1)} ms`);
    expect(nodes).toHaveLength(200);
    expect(edges.length).toBe(big.transitions.length);
    expect(t1 - t0).toBeLessThan(8000);
    expect(t2 - t1).toBeLessThan(50);
  }, 20_000);
});
