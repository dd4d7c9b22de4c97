'use client';

import { createContext, memo, useContext } from 'react';
import { BaseEdge, EdgeLabelRenderer, useInternalNode, type EdgeProps, type InternalNode } from '@xyflow/react';
import { edgeGeometry, roundedPath } from '@/lib/editor/edge-geometry';
import type { RoutedEdge } from '@/lib/editor/layout';
import type { TransitionEdge as TransitionEdgeType } from '@/lib/editor/graph';
import { useStore } from './context';
import styles from './canvas.module.css';

/**
 * ELK's routes for the transitions whose states (and everything the route passes)
 * are still where ELK put them, by transition index. A transition missing here
 * is drawn border to border, so it follows a state being dragged.
 */
export const RoutesContext = createContext<ReadonlyMap<number, RoutedEdge>>(new Map());

function box(node: InternalNode) {
  return {
    x: node.internals.positionAbsolute.x,
    y: node.internals.positionAbsolute.y,
    width: node.measured.width ?? 156,
    height: node.measured.height ?? 50,
  };
}

/** A transition: along ELK's route when it still fits the states, else between the borders of its states (a pair of opposite transitions bends apart). */
function TransitionEdgeView({ id, source, target, label, markerEnd, style, selected, data }: EdgeProps<TransitionEdgeType>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  const route = useContext(RoutesContext).get(data?.index ?? -1);
  const store = useStore();
  if (!from || !to) return null;
  const g = route
    ? { path: roundedPath(route.points), labelBox: route.label }
    : (() => {
        const s = edgeGeometry(box(from), box(to), data?.bend ?? 0);
        return { path: s.path, labelBox: null, labelX: s.labelX, labelY: s.labelY };
      })();
  const place = g.labelBox
    ? { transform: `translate(${g.labelBox.x}px, ${g.labelBox.y}px)`, width: g.labelBox.width, height: g.labelBox.height }
    : { transform: `translate(-50%, -50%) translate(${'labelX' in g ? g.labelX : 0}px, ${'labelY' in g ? g.labelY : 0}px)` };
  return (
    <>
      <BaseEdge id={id} path={g.path} markerEnd={markerEnd} style={style} interactionWidth={16} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className={`${styles.edgeLabel} ${selected ? styles.edgeLabelSelected : ''} nodrag nopan`}
            style={place}
            data-testid="transition-label"
            data-routed={route ? 'true' : 'false'}
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
