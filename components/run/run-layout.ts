/**
 * Positions of the steps in the run graph. Runs keep the canvas positions of the pipeline they ran;
 * pipelines without usable positions (e.g. imported ones) get a layered layout instead.
 */
import { buildStepGraph, topologicalOrder } from '@/lib/pipeline/graph';
import type { Pipeline } from '@/lib/pipeline/schema';

export interface XYPosition {
  x: number;
  y: number;
}

/** Horizontal gap between layers and vertical gap between steps of one layer, in pixels. */
export const LAYER_SPACING_X = 280;
export const ROW_SPACING_Y = 110;

/** Direction data flows on screen: left to right, or top to bottom. */
export type GraphDirection = 'horizontal' | 'vertical';

/**
 * Returns true when the saved positions can be shown as they are: every step has its own spot.
 * Pipelines that were never laid out have every step at the origin.
 */
export function hasUsablePositions(pipeline: Pick<Pipeline, 'steps'>): boolean {
  const seen = new Set(pipeline.steps.map((step) => `${step.position.x},${step.position.y}`));
  return seen.size === pipeline.steps.length;
}

/**
 * Places each step in the layer after its deepest upstream step, left to right; steps of one
 * layer are stacked in pipeline order. Steps on a cycle (refused by validation, but possible in an
 * old run) go in a last layer.
 */
export function layeredPositions(pipeline: Pick<Pipeline, 'steps'>): Map<string, XYPosition> {
  const graph = buildStepGraph(pipeline);
  const { order, blocked } = topologicalOrder(graph);

  const layerOf = new Map<string, number>();
  for (const id of order) {
    const upstreamLayers = (graph.upstream.get(id) ?? []).map((upstreamId) => layerOf.get(upstreamId) ?? 0);
    layerOf.set(id, upstreamLayers.length === 0 ? 0 : Math.max(...upstreamLayers) + 1);
  }
  const lastLayer = Math.max(-1, ...layerOf.values()) + 1;
  for (const id of blocked) {
    layerOf.set(id, lastLayer);
  }

  const rowsUsed = new Map<number, number>();
  const positions = new Map<string, XYPosition>();
  for (const id of graph.ids) {
    const layer = layerOf.get(id) ?? 0;
    const row = rowsUsed.get(layer) ?? 0;
    rowsUsed.set(layer, row + 1);
    positions.set(id, { x: layer * LAYER_SPACING_X, y: row * ROW_SPACING_Y });
  }
  return positions;
}

/** Returns the position of every step: the saved ones when usable, else a layered layout. */
export function stepPositions(pipeline: Pick<Pipeline, 'steps'>): Map<string, XYPosition> {
  if (hasUsablePositions(pipeline)) {
    return new Map(pipeline.steps.map((step) => [step.id, step.position]));
  }
  return layeredPositions(pipeline);
}

/**
 * Guesses the direction data flows from where edges point, so edge handles sit on the sides that
 * face each other: vertical when edges go down more than they go right.
 */
export function graphDirection(edges: readonly { source: string; target: string }[], positions: Map<string, XYPosition>): GraphDirection {
  let right = 0;
  let down = 0;
  for (const edge of edges) {
    const source = positions.get(edge.source);
    const target = positions.get(edge.target);
    if (source && target) {
      right += target.x - source.x;
      down += target.y - source.y;
    }
  }
  return down > right ? 'vertical' : 'horizontal';
}
