import { describe, expect, it } from 'vitest';
import { edgeBends, freeSpot, freshName, hasLayout, nodesToPositions, problemsByElement, resourceToEdges, resourceToNodes, stateOfNode, transitionOfEdge } from './graph';
import { newProblems, stateReferences } from './references';
import { applyEdit } from './actions';
import { loadExample } from './fixtures';

const share = loadExample();

describe('model ⇄ React Flow adapters', () => {
  it('makes one node per state with its kind and the initial flag', () => {
    const nodes = resourceToNodes(share.resources[0], { resourceIndex: 0, selectedState: 'deleting' });
    expect(nodes).toHaveLength(7);
    expect(nodes[0]).toMatchObject({ id: 's:creating', type: 'state', data: { name: 'creating', kind: 'transitional', initial: true } });
    expect(nodes.find((n) => n.selected)?.data.name).toBe('deleting');
    expect(stateOfNode(nodes[3].id)).toBe('deleting');
  });
  it('uses saved positions, and a grid for the rest', () => {
    const nodes = resourceToNodes(share.resources[0], { resourceIndex: 0, positions: { available: { x: 300, y: 40 } } });
    expect(nodes[1].position).toEqual({ x: 300, y: 40 });
    expect(new Set(nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(7);
    expect(hasLayout(share.resources[0], { available: { x: 0, y: 0 } })).toBe(false);
  });
  it('makes labelled edges keyed by transition index', () => {
    const edges = resourceToEdges(share.resources[0], { resourceIndex: 0 });
    expect(edges).toHaveLength(10);
    expect(edges[0]).toMatchObject({ id: 't:0', source: 's:creating', target: 's:available', label: 'created' });
    expect(transitionOfEdge(edges[9].id)).toBe(9);
  });
  it('reads positions back from nodes, rounded', () => {
    expect(nodesToPositions([{ id: 's:a', position: { x: 1.4, y: 2.6 } }])).toEqual({ a: { x: 1, y: 3 } });
  });
  it('picks fresh names and counts problems per element', () => {
    expect(freshName('state', ['state', 'state_2'])).toBe('state_3');
    const { stateProblems, transitionProblems } = problemsByElement(share.resources[0], 0, ['resources[0].states[1].name', 'resources[0].transitions[4].to', 'resources[1].states[0]']);
    expect(stateProblems.get('available')).toBe(1);
    expect(transitionProblems.get(4)).toBe(1);
  });
});

describe('state references', () => {
  it('finds operations, invariants and scenarios using a state (typed, not textual)', () => {
    const refs = stateReferences(share, 0, 'deleting');
    expect(refs.some((r) => r.path.startsWith('operations['))).toBe(true);
    expect(stateReferences(share, 0, 'available').some((r) => r.path.startsWith('scenarios['))).toBe(true);
    // Snapshot.error is named by nothing.
    expect(stateReferences(share, 1, 'error')).toEqual([]);
  });
  it('names the initial state', () => {
    expect(stateReferences(share, 0, 'creating')[0].message).toContain('initial state');
  });
  it('a state used nowhere can go', () => {
    const doc = applyEdit(share, { type: 'addState', resource: 0, name: 'spare', kind: 'stable' });
    expect(stateReferences(doc, 0, 'spare')).toEqual([]);
  });
});

describe('edge bends', () => {
  it('bends opposite transitions apart and arcs lines that would cross a state', () => {
    const r = { name: 'R', initial: 'a', states: ['a', 'b', 'c'].map((name) => ({ name, kind: 'stable' as const })), transitions: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'a', to: 'c' }, { from: 'b', to: 'c' }] };
    const positions = { a: { x: 0, y: 0 }, b: { x: 0, y: 150 }, c: { x: 0, y: 300 } };
    const bends = edgeBends(r, positions);
    expect(bends[0]).toBe(28);
    expect(bends[1]).toBe(28);
    expect(Math.abs(bends[2])).toBeGreaterThanOrEqual(70); // a → c passes through b
    expect(bends[3]).toBe(0);
  });
});

describe('free spot for a new state', () => {
  it('is the spot itself when free, else the nearest place that overlaps nothing', () => {
    expect(freeSpot({ x: 0, y: 0 }, [])).toEqual({ x: 0, y: 0 });
    const taken = [{ x: 0, y: 0 }];
    const p = freeSpot({ x: 10, y: 10 }, taken);
    expect(Math.abs(p.x) >= 176 || Math.abs(p.y) >= 70).toBe(true);
    const q = freeSpot({ x: 10, y: 10 }, [...taken, p]);
    expect(q).not.toEqual(p);
  });
});

describe('what a deletion would break', () => {
  it('lists the uses of a resource, a lock or an operation', () => {
    expect(newProblems(share, { type: 'deleteResource', resource: 1 }).some((r) => r.message.includes("unknown resource type 'Snapshot'"))).toBe(true);
    expect(newProblems(share, { type: 'remove', list: 'operations', index: 2 }).some((r) => r.path.startsWith('scenarios['))).toBe(true);
    const withLock = applyEdit(share, { type: 'insert', list: 'locks', index: 0, value: { name: 'spare' } });
    expect(newProblems(withLock, { type: 'remove', list: 'locks', index: 0 })).toEqual([]);
  });
});
