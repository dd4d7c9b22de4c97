'use client';

import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, useInternalNode, type EdgeProps, type InternalNode } from '@xyflow/react';
import { edgeGeometry } from '@/lib/editor/edge-geometry';
import type { TransitionEdge as TransitionEdgeType } from '@/lib/editor/graph';
import { useStore } from './context';
import styles from './canvas.module.css';

function box(node: InternalNode) {
  return {
    x: node.internals.positionAbsolute.x,
    y: node.internals.positionAbsolute.y,
    width: node.measured.width ?? 156,
    height: node.measured.height ?? 50,
  };
}

/** A transition drawn between the borders of its states (not fixed handles); a pair of opposite transitions bends apart. */
function TransitionEdgeView({ id, source, target, label, markerEnd, style, selected, data }: EdgeProps<TransitionEdgeType>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  const store = useStore();
  if (!from || !to) return null;
  const g = edgeGeometry(box(from), box(to), data?.bend ?? 0);
  return (
    <>
      <BaseEdge id={id} path={g.path} markerEnd={markerEnd} style={style} interactionWidth={16} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className={`${styles.edgeLabel} ${selected ? styles.edgeLabelSelected : ''} nodrag nopan`}
            style={{ transform: `translate(-50%, -50%) translate(${g.labelX}px, ${g.labelY}px)` }}
            data-testid="transition-label"
            onClick={() => data && from && store.dispatch({ type: 'select', selection: { kind: 'transition', resource: (from.data as { resource: number }).resource, index: data.index } })}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const TransitionEdge = memo(TransitionEdgeView);
