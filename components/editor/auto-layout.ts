/**
 * Layered layout of a pipeline's steps with ELK, data flowing left to right, for imported
 * pipelines that come without positions and for the editor's "Tidy layout" button.
 */
import { buildStepGraph } from '@/lib/pipeline/graph';
import type { Pipeline } from '@/lib/pipeline/schema';

/** Size a step is laid out with when React Flow has not measured it yet (a node with no ports). */
const DEFAULT_SIZE = { width: 240, height: 90 };

/**
 * Returns true when no two steps share a position. Pipelines that were never laid out (imported
 * from a format without canvas positions) have every step at the origin.
 */
export function hasDistinctPositions(pipeline: Pick<Pipeline, 'steps'>): boolean {
  const seen = new Set(pipeline.steps.map((step) => `${step.position.x},${step.position.y}`));
  return seen.size === pipeline.steps.length;
}

/**
 * Computes a position for every step with ELK's layered algorithm, using each node's measured size.
 * ELK is loaded on first use, since most editing sessions never need it.
 */
export async function layoutSteps(
  pipeline: Pick<Pipeline, 'steps'>,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Promise<Map<string, { x: number; y: number }>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const graph = buildStepGraph(pipeline);

  const layout = await new ELK().layout({
    id: 'pipeline',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: graph.ids.map((id) => ({ id, ...(sizes.get(id) ?? DEFAULT_SIZE) })),
    edges: graph.ids.flatMap((id) =>
      (graph.upstream.get(id) ?? []).map((upstreamId) => ({ id: `${upstreamId}>${id}`, sources: [upstreamId], targets: [id] })),
    ),
  });

  return new Map((layout.children ?? []).map((child) => [child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) }]));
}
