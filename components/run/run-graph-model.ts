/**
 * The run graph as React Flow nodes and edges: one node per step coloured by its live status,
 * edges from data bindings and `dependsOn`.
 */
import { MarkerType, Position, type Edge, type Node } from '@xyflow/react';

import type { StepReason, StepRunRecord, StepStatus } from '@/lib/engine/types';
import { isStepOutputSource, type Pipeline } from '@/lib/pipeline/schema';

import { EDGE_LABEL_STYLE } from './edge-style';
import { graphDirection, stepPositions } from './run-layout';

/** Data of a step node: the step's name, live status and times. */
export interface StepNodeData extends Record<string, unknown> {
  stepId: string;
  name: string;
  status: StepStatus;
  reason: StepReason | null;
  startedAt: string | null;
  finishedAt: string | null;
  attemptCount: number;
}

export type StepNode = Node<StepNodeData, 'step'>;

/** An edge with the output names it carries; empty for an order-only `dependsOn` edge. */
export interface RunEdgeData extends Record<string, unknown> {
  outputs: string[];
}

export type RunEdge = Edge<RunEdgeData>;

export interface RunGraph {
  nodes: StepNode[];
  edges: RunEdge[];
}

const EDGE_COLOR = '#94a3b8';

function collectEdges(pipeline: Pick<Pipeline, 'steps'>): Map<string, { source: string; target: string; outputs: string[] }> {
  const stepIds = new Set(pipeline.steps.map((step) => step.id));
  const edges = new Map<string, { source: string; target: string; outputs: string[] }>();
  const edgeBetween = (source: string, target: string) => {
    const id = `${source}->${target}`;
    let edge = edges.get(id);
    if (!edge) {
      edge = { source, target, outputs: [] };
      edges.set(id, edge);
    }
    return edge;
  };

  for (const step of pipeline.steps) {
    for (const input of step.inputs) {
      if (isStepOutputSource(input.from) && stepIds.has(input.from.step) && input.from.step !== step.id) {
        const outputs = edgeBetween(input.from.step, step.id).outputs;
        if (!outputs.includes(input.from.output)) outputs.push(input.from.output);
      }
    }
    for (const dependency of step.dependsOn) {
      if (stepIds.has(dependency) && dependency !== step.id) {
        edgeBetween(dependency, step.id);
      }
    }
  }
  return edges;
}

/**
 * Builds the graph of a run from the pipeline it ran and its step records. A step with no record
 * yet shows as pending. Edges into a running step are animated, and every edge is of type `routed`
 * (`RoutedEdge`), which steers around nodes in its way.
 */
export function buildRunGraph(pipeline: Pick<Pipeline, 'steps'>, steps: readonly StepRunRecord[]): RunGraph {
  const records = new Map(steps.map((record) => [record.stepId, record]));
  const positions = stepPositions(pipeline);
  const edgeSpecs = [...collectEdges(pipeline).entries()];
  const direction = graphDirection(
    edgeSpecs.map(([, edge]) => edge),
    positions,
  );
  const targetPosition = direction === 'vertical' ? Position.Top : Position.Left;
  const sourcePosition = direction === 'vertical' ? Position.Bottom : Position.Right;

  const nodes: StepNode[] = pipeline.steps.map((step) => {
    const record = records.get(step.id);
    const status = record?.status ?? 'pending';
    return {
      id: step.id,
      type: 'step',
      position: positions.get(step.id) ?? { x: 0, y: 0 },
      targetPosition,
      sourcePosition,
      ariaLabel: `Step ${step.name || step.id}: ${status}`,
      domAttributes: { 'data-status': status } as StepNode['domAttributes'],
      data: {
        stepId: step.id,
        name: step.name || step.id,
        status,
        reason: record?.reason ?? null,
        startedAt: record?.startedAt ?? null,
        finishedAt: record?.finishedAt ?? null,
        attemptCount: record?.attempts.length ?? 0,
      },
    };
  });

  const statusOf = (id: string) => records.get(id)?.status ?? 'pending';
  const edges: RunEdge[] = edgeSpecs.map(([id, edge]) => {
    const orderOnly = edge.outputs.length === 0;
    return {
      id,
      type: 'routed',
      source: edge.source,
      target: edge.target,
      label: orderOnly ? undefined : edge.outputs.join(', '),
      labelStyle: { fontSize: 10, fill: '#475569' },
      ...EDGE_LABEL_STYLE,
      labelBgStyle: { fill: '#f8fafc', stroke: '#e2e8f0' },
      animated: statusOf(edge.target) === 'running',
      style: orderOnly ? { stroke: EDGE_COLOR, strokeDasharray: '6 4' } : { stroke: EDGE_COLOR, strokeWidth: 1.5 },
      markerEnd: { type: MarkerType.ArrowClosed, color: EDGE_COLOR },
      data: { outputs: edge.outputs },
    };
  });

  return { nodes, edges };
}

function sameNodeData(a: StepNodeData, b: StepNodeData): boolean {
  return (
    a.stepId === b.stepId &&
    a.name === b.name &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.attemptCount === b.attemptCount
  );
}

/**
 * Returns `next` with each node that did not change replaced by its previous object, so React Flow
 * re-renders only the steps whose status moved when a large run is polled every second.
 */
export function keepUnchangedNodes(previous: readonly StepNode[], next: StepNode[]): StepNode[] {
  const previousById = new Map(previous.map((node) => [node.id, node]));
  return next.map((node) => {
    const old = previousById.get(node.id);
    const unchanged =
      old !== undefined &&
      old.selected === node.selected &&
      old.position.x === node.position.x &&
      old.position.y === node.position.y &&
      old.sourcePosition === node.sourcePosition &&
      old.targetPosition === node.targetPosition &&
      sameNodeData(old.data, node.data);
    return unchanged ? old : node;
  });
}
