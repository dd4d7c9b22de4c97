import { describe, expect, it } from 'vitest';
import type { Resource } from '@/lib/model';
import { routedLayout, type Direction, type RoutedLayout } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './graph';
import { rectsOverlap, segmentCrossesRect } from './edge-geometry';
import { loadExample } from './fixtures';

const share = () => loadExample().resources.find((r) => r.name === 'Share')!;
const crashShare = () => loadExample('crash-in-transitional-state').resources.find((r) => r.name === 'Share')!;

function expectReadable(resource: Resource, out: RoutedLayout, node = { width: NODE_WIDTH, height: NODE_HEIGHT }) {
  const named = resource.transitions.filter((t) => t.name && t.from !== t.to).length;
  const labels = out.edges.flatMap((e) => (e.label ? [{ ...e.label, name: resource.transitions[e.index].name }] : []));
  expect(labels).toHaveLength(named);
  // No two names overlap.
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) expect(rectsOverlap(labels[i], labels[j]), `${labels[i].name} over ${labels[j].name}`).toBe(false);
  const states = Object.entries(out.positions).map(([name, p]) => ({ name, x: p.x, y: p.y, ...node }));
  // No name sits on a state.
  for (const l of labels) for (const s of states) expect(rectsOverlap(l, s), `${l.name} on state ${s.name}`).toBe(false);
  for (const e of out.edges) {
    const what = `${e.from} → ${e.to}`;
    expect(e.points.length, what).toBeGreaterThanOrEqual(2);
    // Every point of every edge lies inside the canvas: nothing is cut off at its border.
    for (const p of e.points) {
      expect(p.x, what).toBeGreaterThanOrEqual(0);
      expect(p.y, what).toBeGreaterThanOrEqual(0);
      expect(p.x, what).toBeLessThanOrEqual(out.width);
      expect(p.y, what).toBeLessThanOrEqual(out.height);
    }
    if (e.label) expect(e.label.x + e.label.width <= out.width && e.label.y + e.label.height <= out.height, `label of ${what}`).toBe(true);
    // An edge goes around the states it does not join.
    for (const s of states) {
      if (s.name === e.from || s.name === e.to) continue;
      for (let k = 1; k < e.points.length; k++) expect(segmentCrossesRect(e.points[k - 1], e.points[k], s), `${what} through ${s.name}`).toBe(false);
    }
  }
}

describe('edge routing (elk)', () => {
  for (const direction of ['DOWN', 'RIGHT'] as Direction[]) {
    it(`routes the share example's Share machine (${direction}) with no overlapping names and no edge outside the canvas`, async () => {
      const resource = share();
      const out = await routedLayout(resource, direction);
      expect(out.edges.length).toBe(resource.transitions.filter((t) => t.from !== t.to).length);
      expectReadable(resource, out);
    });
    it(`keeps error_deleting → deleting of the crash example inside the canvas (${direction})`, async () => {
      const resource = crashShare();
      const out = await routedLayout(resource, direction);
      expect(out.edges.some((e) => e.from === 'error_deleting' && e.to === 'deleting')).toBe(true);
      expectReadable(resource, out);
    });
  }
  it("routes the compact layouts (the editor's Auto layout, the trace view's small diagrams) just as cleanly", async () => {
    for (const node of [{ width: NODE_WIDTH, height: NODE_HEIGHT }, { width: 128, height: 40 }])
      for (const resource of [share(), crashShare()])
        for (const direction of ['DOWN', 'RIGHT'] as Direction[]) expectReadable(resource, await routedLayout(resource, direction, node, true), node);
  });
  it('routes every machine of every example', async () => {
    for (const name of ['lock-scope', 'lease-and-fencing', 'image-cache-ageing-vs-spawn']) {
      for (const resource of loadExample(name).resources) expectReadable(resource, await routedLayout(resource, 'RIGHT'));
    }
  });
  it('is a function of the machine (the editor recognises a saved automatic layout)', async () => {
    const a = await routedLayout(share(), 'DOWN');
    const b = await routedLayout(share(), 'DOWN');
    expect(b).toEqual(a);
  });
});
