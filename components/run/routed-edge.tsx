'use client';

import { BaseEdge, getBezierPath, useStore, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { memo } from 'react';

import { obstaclesInSpan, roundedPath, routeEdge, sameRects, type EdgeEnds, type Rect } from './edge-route';

/** Radius of a detour's corners, in pixels. */
const CORNER_RADIUS = 10;

function measuredRects(state: ReactFlowState, except: readonly string[]): Rect[] {
  const rects: Rect[] = [];
  for (const node of state.nodeLookup.values()) {
    const { width, height } = node.measured;
    if (node.hidden || except.includes(node.id) || width === undefined || height === undefined) continue;
    rects.push({ x: node.internals.positionAbsolute.x, y: node.internals.positionAbsolute.y, width, height });
  }
  return rects;
}

/**
 * An edge drawn as React Flow's bezier curve, or, when that curve would pass behind another node,
 * as a detour around it (see `routeEdge`). Used by the editor and the run view alike.
 */
export const RoutedEdge = memo(function RoutedEdge({
  id,
  source,
  target,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  label,
  labelStyle,
  labelShowBg,
  labelBgStyle,
  labelBgPadding,
  labelBgBorderRadius,
  style,
  markerEnd,
  markerStart,
  interactionWidth,
}: EdgeProps) {
  const ends: EdgeEnds = {
    source: { x: sourceX, y: sourceY },
    sourcePosition,
    target: { x: targetX, y: targetY },
    targetPosition,
  };

  // Only the nodes in this edge's span are selected, so moving a node elsewhere does not re-render it.
  const obstacles = useStore((state: ReactFlowState) => obstaclesInSpan(ends, measuredRects(state, [source, target])), sameRects);

  const route = routeEdge(ends, obstacles);
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route.kind === 'detour') {
    path = roundedPath(route.points, CORNER_RADIUS);
    labelX = route.label.x;
    labelY = route.label.y;
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  }

  return (
    <BaseEdge
      id={id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={label}
      labelStyle={labelStyle}
      labelShowBg={labelShowBg}
      labelBgStyle={labelBgStyle}
      labelBgPadding={labelBgPadding}
      labelBgBorderRadius={labelBgBorderRadius}
      style={style}
      markerEnd={markerEnd}
      markerStart={markerStart}
      interactionWidth={interactionWidth}
    />
  );
});

/** Edge types for React Flow; defined once at module level so React Flow does not remount edges. */
export const ROUTED_EDGE_TYPES = { routed: RoutedEdge };
