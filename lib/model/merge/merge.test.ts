/**
 * Three-way merge of model documents, one kind of item at a time, on the
 * shipped examples: what merges by itself, what conflicts (and where the
 * conflict says it is), and how resolutions finish a merge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixStateReferences } from '../../editor/rename';
import type { ModelDocument, Step } from '../schema';
import { validateModel } from '../validate';
import { mergeModels, resolveMerge, type MergeResult } from './index';

const load = (file: string): ModelDocument =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../examples/${file}`, import.meta.url)), 'utf8'));
const SHARE = load('share-delete-vs-snapshot.json');
const IMAGE = load('image-cache-ageing-vs-spawn.json');
const LOCKS = load('lock-scope.json');

/** Head and draft as edited copies of base. */
function sides(base: ModelDocument, editHead: (d: ModelDocument) => void, editDraft: (d: ModelDocument) => void) {
  const head = structuredClone(base);
  const draft = structuredClone(base);
  editHead(head);
  editDraft(draft);
  return { head, draft };
}

function merge(base: ModelDocument, editHead: (d: ModelDocument) => void, editDraft: (d: ModelDocument) => void): MergeResult {
  const { head, draft } = sides(base, editHead, editDraft);
  return mergeModels(base, head, draft);
}

function clean(result: MergeResult): ModelDocument {
  expect(result.ok ? [] : result.conflicts).toEqual([]);
  return result.merged;
}

const op = (doc: ModelDocument, name: string) => doc.operations.find((o) => o.name === name)!;
const cond = (text: string): Step => ({ kind: 'require', cond: text });

describe('mergeModels: no edits and one-sided edits', () => {
  it('returns the other side when one side did not change anything', () => {
    const { head } = sides(SHARE, (d) => (op(d, 'deleteShare').description = 'head'), () => {});
    expect(clean(mergeModels(SHARE, head, SHARE))).toEqual(head);
    expect(clean(mergeModels(SHARE, SHARE, head))).toEqual(head);
    expect(clean(mergeModels(SHARE, head, head))).toEqual(head);
  });
});

describe('named items (operations, states, locks, invariants, scenarios)', () => {
  it('merges a rename on one side with an edit of another field of the same item on the other', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => (op(d, 'deleteShare').name = 'deleteShareCas'),
        (d) => (op(d, 'deleteShare').description = 'moves the share into deleting first'),
      ),
    );
    expect(merged.operations.map((o) => o.name)).toEqual(['deleteShareNaive', 'createSnapshotNaive', 'deleteShareCas', 'createSnapshot', 'deleteShareConditional']);
    expect(op(merged, 'deleteShareCas').description).toBe('moves the share into deleting first');
    expect(op(merged, 'deleteShareCas').steps).toEqual(op(SHARE, 'deleteShare').steps);
  });

  it('merges a state rename with a description added to the same state', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => (d.resources[0].states[3].name = 'removing'),
        (d) => (d.resources[0].states[3].description = 'the driver is deleting it'),
      ),
    );
    expect(merged.resources[0].states[3]).toEqual({ name: 'removing', kind: 'transitional', description: 'the driver is deleting it' });
    expect(merged.resources[0].states).toHaveLength(SHARE.resources[0].states.length);
  });

  it('reports both sides renaming one item differently as a conflict on its name', () => {
    const result = merge(SHARE, (d) => (d.locks.push({ name: 'x' }), (op(d, 'deleteShare').name = 'a')), (d) => (op(d, 'deleteShare').name = 'b'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.conflicts).toEqual([
      { id: 'operations/deleteShare/name', where: 'operation a: name', path: 'operations[2].name', base: 'deleteShare', head: 'a', draft: 'b' },
    ]);
  });

  it('reports deleting an item on one side while the other edits it, keeping head’s side', () => {
    const headDeletes = merge(
      SHARE,
      (d) => (d.invariants = []),
      (d) => (d.invariants[0].description = 'edited'),
    );
    expect(headDeletes.ok).toBe(false);
    if (headDeletes.ok) return;
    expect(headDeletes.conflicts).toEqual([
      {
        id: 'invariants/no-snapshot-of-deleted-share',
        where: 'invariant no-snapshot-of-deleted-share',
        path: 'invariants[0]',
        base: SHARE.invariants[0],
        head: undefined,
        draft: { ...SHARE.invariants[0], description: 'edited' },
      },
    ]);
    expect(headDeletes.merged.invariants).toEqual([]);

    const draftDeletes = merge(SHARE, (d) => (op(d, 'createSnapshot').description = 'kept'), (d) => d.operations.splice(3, 1));
    expect(draftDeletes.ok).toBe(false);
    expect(op(draftDeletes.merged, 'createSnapshot').description).toBe('kept');
  });

  it('deletes an item one side removed and the other left alone', () => {
    const merged = clean(merge(SHARE, (d) => d.operations.splice(0, 1), (d) => (op(d, 'deleteShare').description = 'x')));
    expect(merged.operations.map((o) => o.name)).toEqual(['createSnapshotNaive', 'deleteShare', 'createSnapshot', 'deleteShareConditional']);
  });

  it('lands additions from both sides in one list, head’s first', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => d.invariants.push({ name: 'from-head', expr: 'true' }),
        (d) => d.invariants.push({ name: 'from-draft', expr: 'true' }),
      ),
    );
    expect(merged.invariants.map((i) => i.name)).toEqual(['no-snapshot-of-deleted-share', 'from-head', 'from-draft']);
  });

  it('adds an item once when both sides added it identically, and conflicts on the fields where two same-named additions differ', () => {
    const added = { name: 'both', expr: 'true' };
    expect(clean(merge(SHARE, (d) => d.invariants.push({ ...added }), (d) => d.invariants.push({ ...added }))).invariants).toHaveLength(2);
    const result = merge(SHARE, (d) => d.invariants.push({ ...added }), (d) => d.invariants.push({ ...added, expr: 'false' }));
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where, c.path, c.base, c.head, c.draft])).toEqual([
      ['invariants/both/expr', 'invariant both: expr', 'invariants[1].expr', undefined, 'true', 'false'],
    ]);
  });

  it('takes an identical change made on both sides once, without a conflict', () => {
    const merged = clean(merge(SHARE, (d) => (d.invariants[0].expr = 'true'), (d) => (d.invariants[0].expr = 'true')));
    expect(merged.invariants[0].expr).toBe('true');
  });

  it('merges edits of different fields of one lock and reports the same field', () => {
    const merged = clean(merge(LOCKS, (d) => (d.locks[0].backend = 'etcd'), (d) => (d.locks[0].scope = 'cluster')));
    expect(merged.locks[0]).toMatchObject({ backend: 'etcd', scope: 'cluster' });
    const result = merge(LOCKS, (d) => (d.locks[0].backend = 'etcd'), (d) => (d.locks[0].backend = 'redis'));
    expect(result.ok ? [] : result.conflicts.map((c) => [c.where, c.path])).toEqual([['lock share-lock: backend', 'locks[0].backend']]);
    expect(result.merged.locks[0].backend).toBe('etcd');
  });
});

describe('scenarios', () => {
  const SC = 3; // fixed-delete-vs-snapshot
  it('merges edits of different parts of one scenario', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => (d.scenarios[SC].faults = { callFailure: 2 }),
        (d) => {
          d.scenarios[SC].processes[1].args.snap = 'snap2';
          d.scenarios[SC].instances.push({ name: 'snap2', type: 'Snapshot', fields: { share: 'share1' } });
        },
      ),
    );
    expect(merged.scenarios[SC].faults).toEqual({ callFailure: 2 });
    expect(merged.scenarios[SC].processes[1].args).toEqual({ share: 'share1', snap: 'snap2' });
    expect(merged.scenarios[SC].instances.map((i) => i.name)).toEqual(['share1', 'snap1', 'snap2']);
  });

  it('names a scenario field conflict by scenario and key', () => {
    const result = merge(SHARE, (d) => (d.scenarios[SC].faults = { callFailure: 2 }), (d) => (d.scenarios[SC].faults = { callFailure: 0 }));
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where, c.path, c.base, c.head, c.draft])).toEqual([
      ['scenarios/fixed-delete-vs-snapshot/faults/callFailure', 'scenario fixed-delete-vs-snapshot: faults.callFailure', 'scenarios[3].faults.callFailure', 1, 2, 0],
    ]);
  });

  it('treats expect as one value: verdict and kind never mix across sides', () => {
    const result = merge(
      SHARE,
      (d) => (d.scenarios[0].expect = { verdict: 'pass' }),
      (d) => (d.scenarios[0].expect = { verdict: 'violation', kind: 'deadlock' }),
    );
    expect(result.ok ? [] : result.conflicts.map((c) => c.path)).toEqual(['scenarios[0].expect']);
  });
});

describe('transitions (by position)', () => {
  it('merges a renamed transition with a retargeted one and lands additions', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => {
          d.resources[0].transitions[0].name = 'created ok';
          d.resources[0].transitions.push({ from: 'error', to: 'available' });
        },
        (d) => (d.resources[0].transitions[4].to = 'available'),
      ),
    );
    const t = merged.resources[0].transitions;
    expect(t[0]).toEqual({ from: 'creating', to: 'available', name: 'created ok' });
    expect(t[4]).toEqual({ from: 'snapshotting', to: 'available', name: 'snapshot failed' });
    expect(t.at(-1)).toEqual({ from: 'error', to: 'available' });
    expect(t).toHaveLength(11);
  });
});

describe('steps', () => {
  it('merges edits inside different nested steps of one operation', () => {
    // ageUnlocked: read, if stale [read, if ready [write start-delete, call rmtree, write absent]]
    const merged = clean(
      merge(
        IMAGE,
        (d) => ((op(d, 'ageUnlocked').steps[1] as any).then[1].then[0].value = '"gone"'),
        (d) => ((op(d, 'ageUnlocked').steps[1] as any).then[1].then[1].long = false),
      ),
    );
    const inner = (op(merged, 'ageUnlocked').steps[1] as any).then[1].then;
    expect(inner[0].value).toBe('"gone"');
    expect(inner[1].long).toBe(false);
  });

  it('says where a nested step conflict is, in words and as a path', () => {
    const result = merge(
      IMAGE,
      (d) => ((op(d, 'ageUnlocked').steps[1] as any).then[1].cond = 'state == "creating"'),
      (d) => ((op(d, 'ageUnlocked').steps[1] as any).then[1].cond = 'true'),
    );
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where, c.path])).toEqual([
      ['operations/ageUnlocked/steps/1/then/1/cond', 'operation ageUnlocked, step 2 (if), then step 2 (if): cond', 'operations[1].steps[1].then[1].cond'],
    ]);
  });

  it('re-indexes: inserts and removals on one side, edits further down on the other', () => {
    // deleteShareNaive: read, require, read, require, write, call, write
    const merged = clean(
      merge(
        SHARE,
        (d) => {
          const steps = op(d, 'deleteShareNaive').steps;
          steps.splice(0, 1); // drop the first read
          steps.splice(2, 0, cond('share.state != "deleted"'));
        },
        (d) => {
          (op(d, 'deleteShareNaive').steps[4] as any).value = '"error"';
          (op(d, 'deleteShareNaive').steps[6] as any).value = '"gone"';
        },
      ),
    );
    const base = op(SHARE, 'deleteShareNaive').steps;
    expect(op(merged, 'deleteShareNaive').steps).toEqual([
      base[1],
      base[2],
      cond('share.state != "deleted"'),
      base[3],
      { ...base[4], value: '"error"' },
      base[5],
      { ...base[6], value: '"gone"' },
    ]);
  });

  it('keeps one side’s reorder and the other side’s edit of a moved step', () => {
    const base = op(SHARE, 'createSnapshotNaive').steps;
    const merged = clean(
      merge(
        SHARE,
        (d) => {
          const steps = op(d, 'createSnapshotNaive').steps;
          const [moved] = steps.splice(5, 1);
          steps.unshift(moved);
        },
        (d) => ((op(d, 'createSnapshotNaive').steps[5] as any).value = '"edited"'),
      ),
    );
    expect(op(merged, 'createSnapshotNaive').steps).toEqual([{ ...base[5], value: '"edited"' }, ...base.slice(0, 5), base[6]]);
  });

  it('reports both sides reordering one step list differently', () => {
    const result = merge(
      SHARE,
      (d) => op(d, 'createSnapshotNaive').steps.reverse(),
      (d) => op(d, 'createSnapshotNaive').steps.push(...op(d, 'createSnapshotNaive').steps.splice(0, 2)),
    );
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where])).toEqual([
      ['operations/createSnapshotNaive/steps/order', 'operation createSnapshotNaive: order of steps'],
    ]);
  });

  it('lands steps both sides inserted at one spot, head’s first, and an identical insert once', () => {
    const merged = clean(
      merge(
        SHARE,
        (d) => op(d, 'deleteShare').steps.splice(1, 0, cond('head'), cond('same')),
        (d) => op(d, 'deleteShare').steps.splice(1, 0, cond('same'), cond('draft')),
      ),
    );
    expect(op(merged, 'deleteShare').steps.slice(1, 4)).toEqual([cond('head'), cond('same'), cond('draft')]);
    expect(op(merged, 'deleteShare').steps).toHaveLength(op(SHARE, 'deleteShare').steps.length + 3);
  });

  it('conflicts when one side removes a step the other edited', () => {
    const result = merge(SHARE, (d) => op(d, 'deleteShare').steps.splice(2, 1), (d) => ((op(d, 'deleteShare').steps[2] as any).value = '"x"'));
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where, c.path, c.head])).toEqual([
      ['operations/deleteShare/steps/2', 'operation deleteShare, step 3 (write)', 'operations[2].steps[2]', undefined],
    ]);
  });

  it('treats a step whose kind changed as one value', () => {
    const result = merge(
      SHARE,
      (d) => (op(d, 'deleteShareNaive').steps[1] = { kind: 'await', cond: 'status == "available"' }),
      (d) => ((op(d, 'deleteShareNaive').steps[1] as any).message = 'changed'),
    );
    expect(result.ok ? [] : result.conflicts.map((c) => c.path)).toEqual(['operations[0].steps[1]']);
  });
});

describe('layout', () => {
  it('never conflicts: head wins where both moved a node, draft’s other moves land', () => {
    const withLayout = { ...SHARE, layout: { resources: { Share: { creating: { x: 0, y: 0 }, available: { x: 10, y: 0 } } } } };
    const merged = clean(
      merge(
        withLayout,
        (d) => (d.layout!.resources!.Share.creating = { x: 5, y: 5 }),
        (d) => {
          d.layout!.resources!.Share.creating = { x: 7, y: 7 };
          d.layout!.resources!.Share.available = { x: 20, y: 0 };
          d.layout!.resources!.Snapshot = { absent: { x: 1, y: 1 } };
        },
      ),
    );
    expect(merged.layout).toEqual({
      resources: { Share: { creating: { x: 5, y: 5 }, available: { x: 20, y: 0 } }, Snapshot: { absent: { x: 1, y: 1 } } },
    });
  });
});

describe('resolveMerge', () => {
  const edits = sides(
    SHARE,
    (d) => {
      d.invariants[0].expr = 'head';
      d.operations.splice(3, 1);
    },
    (d) => {
      d.invariants[0].expr = 'draft';
      op(d, 'createSnapshot').description = 'draft';
    },
  );

  it('lists every conflict, and stays not ok until each has a resolution', () => {
    const first = mergeModels(SHARE, edits.head, edits.draft);
    expect(first.ok ? [] : first.conflicts.map((c) => c.id)).toEqual(['operations/createSnapshot', 'invariants/no-snapshot-of-deleted-share/expr']);
    const partial = resolveMerge(SHARE, edits.head, edits.draft, { 'invariants/no-snapshot-of-deleted-share/expr': { pick: 'draft' } });
    expect(partial.ok ? [] : partial.conflicts.map((c) => c.id)).toEqual(['operations/createSnapshot']);
  });

  it('applies picks and typed values, including keeping an item one side deleted', () => {
    const result = resolveMerge(SHARE, edits.head, edits.draft, {
      'invariants/no-snapshot-of-deleted-share/expr': { value: 'true' },
      'operations/createSnapshot': { pick: 'draft' },
    });
    const merged = clean(result);
    expect(merged.invariants[0].expr).toBe('true');
    expect(op(merged, 'createSnapshot').description).toBe('draft');
    expect(merged.operations.map((o) => o.name)).toEqual(SHARE.operations.map((o) => o.name));
  });

  it('deletes the item when the pick is the side that deleted it', () => {
    const merged = clean(
      resolveMerge(SHARE, edits.head, edits.draft, {
        'invariants/no-snapshot-of-deleted-share/expr': { pick: 'base' },
        'operations/createSnapshot': { pick: 'head' },
      }),
    );
    expect(merged.operations.map((o) => o.name)).not.toContain('createSnapshot');
    expect(merged.invariants[0].expr).toBe(SHARE.invariants[0].expr);
  });
});

describe('name clashes and order resolutions', () => {
  it('reports a rename on one side onto a name the other side added, and settles it by a pick', () => {
    const { head, draft } = sides(
      SHARE,
      (d) => (op(d, 'deleteShare').name = 'deleteShareV2'),
      (d) => d.operations.push({ name: 'deleteShareV2', params: [], steps: [] }),
    );
    const result = mergeModels(SHARE, head, draft);
    expect(result.ok ? [] : result.conflicts.map((c) => [c.id, c.where, c.path, c.base])).toEqual([
      ['operations/deleteShareV2@name-clash', 'operation deleteShareV2: the name is given to two different items', 'operations[2]', undefined],
    ]);
    const merged = clean(resolveMerge(SHARE, head, draft, { 'operations/deleteShareV2@name-clash': { pick: 'head' } }));
    expect(merged.operations.map((o) => o.name)).toEqual(['deleteShareNaive', 'createSnapshotNaive', 'deleteShareV2', 'createSnapshot', 'deleteShareConditional']);
    expect(op(merged, 'deleteShareV2').steps).toEqual(op(SHARE, 'deleteShare').steps);
  });

  it('settles an order conflict with the draft’s order', () => {
    const { head, draft } = sides(
      SHARE,
      (d) => op(d, 'createSnapshotNaive').steps.reverse(),
      (d) => op(d, 'createSnapshotNaive').steps.push(...op(d, 'createSnapshotNaive').steps.splice(0, 2)),
    );
    const merged = clean(resolveMerge(SHARE, head, draft, { 'operations/createSnapshotNaive/steps/order': { pick: 'draft' } }));
    expect(op(merged, 'createSnapshotNaive').steps).toEqual(op(draft, 'createSnapshotNaive').steps);
  });
});

describe('renames the other side still refers to', () => {
  it('reports a state renamed on one side, so references the other side added can be rewritten before validating', () => {
    // Head renames Share.deleting the way the editor does (references rewritten); draft adds a transition from the old name.
    const head = fixStateReferences(
      { ...SHARE, resources: SHARE.resources.map((r, i) => (i === 0 ? { ...r, states: r.states.map((s) => (s.name === 'deleting' ? { ...s, name: 'removing' } : s)) } : r)) },
      'Share',
      'deleting',
      'removing',
    );
    const draft = structuredClone(SHARE);
    draft.resources[0].transitions.push({ from: 'deleting', to: 'error', name: 'driver gave up' });
    const result = mergeModels(SHARE, head, draft);
    const merged = clean(result);
    expect(result.renames).toEqual([{ kind: 'state', resource: 'Share', from: 'deleting', to: 'removing' }]);
    expect(validateModel(merged).ok).toBe(false);
    const fixed = result.renames!.reduce(
      (doc, r) => (r.kind === 'state' ? fixStateReferences(doc, r.resource, r.from, r.to) : doc),
      merged,
    );
    expect(fixed.resources[0].transitions.at(-1)).toEqual({ from: 'removing', to: 'error', name: 'driver gave up' });
    expect(validateModel(fixed)).toMatchObject({ ok: true });
  });
});

describe('documents that are invalid mid-edit', () => {
  it('merges whatever JSON a draft holds without throwing, reporting what it cannot merge', () => {
    const odd: unknown[] = [
      { ...SHARE, operations: 'not a list' },
      { ...SHARE, operations: [{ name: 'deleteShare', steps: [42, { kind: 'teleport', cond: 'x' }, null] }] },
      { ...SHARE, resources: [null, 'Share', { states: {} }] },
      { ...SHARE, scenarios: [{ name: 'naive-two-deletes', processes: { a: 1 } }] },
      [],
      null,
    ];
    for (const draft of odd) {
      const head = structuredClone(SHARE);
      op(head, 'deleteShare').description = 'head';
      head.scenarios[1].description = 'head';
      const result = mergeModels(SHARE, head, draft as ModelDocument);
      expect(result.merged).toBeDefined();
      if (!result.ok) for (const c of result.conflicts) expect(typeof c.where).toBe('string');
    }
  });
});
