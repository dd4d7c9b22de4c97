/**
 * The scaled share model both checker benchmarks use: N deleters and N
 * snapshotters on one share (the share example's naive read-then-write
 * operations, or its fixed cas/atomic ones), every check switched off so the
 * whole space is explored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));

const CHECKS_OFF = {
  invariants: false,
  assertions: false,
  illegalTransition: false,
  deadlock: false,
  stuckTransitional: false,
  lockLeak: false,
  releaseUnheld: false,
  staleWrite: false,
};

export type ShareVariant = 'naive' | 'fixed';

/** A model document whose one scenario is `scaled-N`. */
export function scaledShareDocument(n: number, variant: ShareVariant = 'naive') {
  const [deleteOp, snapshotOp] = variant === 'fixed' ? ['deleteShare', 'createSnapshot'] : ['deleteShareNaive', 'createSnapshotNaive'];
  const doc = structuredClone(example);
  doc.scenarios = [
    {
      name: `scaled-${n}`,
      instances: [
        { name: 'share1', type: 'Share', state: 'available' },
        { name: 'snap1', type: 'Snapshot', fields: { share: 'share1' } },
      ],
      processes: [
        { name: 'delete', operation: deleteOp, args: { share: 'share1' }, count: n },
        { name: 'snapshot', operation: snapshotOp, args: { share: 'share1', snap: 'snap1' }, count: n },
      ],
      checks: CHECKS_OFF,
    },
  ];
  return doc;
}
