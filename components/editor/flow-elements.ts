/**
 * Converts the editor's pipeline into React Flow nodes and edges. React Flow types stay in this
 * layer, and the pipeline model does not import them.
 */
import { MarkerType, type Edge, type Node } from '@xyflow/react';

import type { ValidationIssue } from '@/lib/pipeline/issues';
import type { Pipeline, Step } from '@/lib/pipeline/schema';

import { EDGE_LABEL_STYLE } from '@/components/run/edge-style';

import { listStepEdges } from './connections';

/** Data of one step node: the step and its problems. */
export type StepNodeData = {
  step: Step;
  /** Validation problems of this step, shown as a red border and a count. */
  issues: ValidationIssue[];
};

export type StepNode = Node<StepNodeData, 'step'>;

/** Width and height React Flow measured for each node, which a controlled flow must pass back. */
export type MeasuredSizes = ReadonlyMap<string, { width: number; height: number }>;

const NO_ISSUES: ValidationIssue[] = [];

/** Node data by step id from the previous build, reused while unchanged so memoized nodes skip rendering. */
export type NodeDataCache = Map<string, StepNodeData>;

function sameIssues(a: readonly ValidationIssue[], b: readonly ValidationIssue[]): boolean {
  return a.length === b.length && a.every((issue, index) => issue.message === b[index]!.message && issue.field === b[index]!.field);
}

function nodeData(cache: NodeDataCache, step: Step, issues: ValidationIssue[]): StepNodeData {
  const cached = cache.get(step.id);
  if (cached && cached.step === step && sameIssues(cached.issues, issues)) return cached;
  const data = { step, issues };
  cache.set(step.id, data);
  return data;
}

/**
 * Builds one node per step, with selection, measured size and problems attached. Dragging one step
 * changes only that step's data, so the other nodes keep theirs from `cache` and do not re-render.
 */
export function toFlowNodes(
  pipeline: Pipeline,
  selectedStepIds: readonly string[],
  measured: MeasuredSizes,
  issuesByStep: ReadonlyMap<string, ValidationIssue[]>,
  cache: NodeDataCache = new Map(),
): StepNode[] {
  const selected = new Set(selectedStepIds);
  return pipeline.steps.map((step) => {
    const size = measured.get(step.id);
    return {
      id: step.id,
      type: 'step',
      position: step.position,
      data: nodeData(cache, step, issuesByStep.get(step.id) ?? NO_ISSUES),
      selected: selected.has(step.id),
      ariaLabel: `Step ${step.name || step.id} (${step.id})`,
      ...(size ? { measured: size } : {}),
    };
  });
}

/**
 * Builds the data edges (solid, labelled with the output) and order edges (dashed), all of type
 * `routed` so they steer around nodes in their way.
 */
export function toFlowEdges(pipeline: Pipeline, selectedEdgeIds: readonly string[]): Edge[] {
  const selected = new Set(selectedEdgeIds);
  return listStepEdges(pipeline).map((edge): Edge => {
    const isSelected = selected.has(edge.id);
    let colour = edge.kind === 'data' ? '#475569' : '#94a3b8';
    if (isSelected) colour = '#1d4ed8';
    return {
      id: edge.id,
      type: 'routed',
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle,
      targetHandle: edge.targetHandle,
      selected: isSelected,
      label: edge.label,
      ariaLabel:
        edge.kind === 'data'
          ? `Data from ${edge.source} to ${edge.target}: ${edge.label ?? ''}`
          : `Order: ${edge.target} runs after ${edge.source}`,
      markerEnd: { type: MarkerType.ArrowClosed, color: colour },
      style: {
        stroke: colour,
        strokeWidth: isSelected ? 2.5 : 1.5,
        ...(edge.kind === 'order' ? { strokeDasharray: '6 4' } : {}),
      },
      labelStyle: { fontSize: 11, fill: '#334155' },
      ...EDGE_LABEL_STYLE,
      labelBgStyle: { fill: '#f8fafc', stroke: '#e2e8f0' },
      data: { kind: edge.kind },
    };
  });
}

/** Groups validation problems by step id; problems without a step are left out. */
export function groupIssuesByStep(issues: readonly ValidationIssue[]): Map<string, ValidationIssue[]> {
  const byStep = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    if (issue.stepId === undefined) continue;
    const list = byStep.get(issue.stepId);
    if (list) list.push(issue);
    else byStep.set(issue.stepId, [issue]);
  }
  return byStep;
}
