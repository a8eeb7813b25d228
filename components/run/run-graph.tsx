'use client';

import { Background, Controls, MiniMap, Panel, ReactFlow, type NodeChange, type NodeTypes } from '@xyflow/react';
import { useCallback, useMemo } from 'react';

import type { StepRunRecord } from '@/lib/engine/types';
import type { Pipeline } from '@/lib/pipeline/schema';

import { buildRunGraph, type StepNode } from './run-graph-model';
import { StatusLegend } from './status-legend';
import { StepNodeView } from './step-node';

const nodeTypes: NodeTypes = { step: StepNodeView };

/** Above this many steps the graph shows a minimap and renders only the nodes in view. */
const LARGE_GRAPH_STEPS = 50;

interface RunGraphProps {
  pipeline: Pipeline;
  steps: readonly StepRunRecord[];
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}

/** The read-only graph of a run, each step coloured by its live status. Clicking a step selects it. */
export function RunGraph({ pipeline, steps, selectedStepId, onSelectStep }: RunGraphProps) {
  const graph = useMemo(() => buildRunGraph(pipeline, steps), [pipeline, steps]);
  const nodes = useMemo(
    () => graph.nodes.map((node): StepNode => (node.id === selectedStepId ? { ...node, selected: true } : node)),
    [graph.nodes, selectedStepId],
  );
  const large = nodes.length > LARGE_GRAPH_STEPS;

  // Selection by keyboard (focus a step, press Enter) arrives as a node change, not a click.
  const onNodesChange = useCallback(
    (changes: NodeChange<StepNode>[]) => {
      for (const change of changes) {
        if (change.type === 'select' && change.selected) {
          onSelectStep(change.id);
        }
      }
    },
    [onSelectStep],
  );

  return (
    <ReactFlow
      nodes={nodes}
      edges={graph.edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onNodeClick={(_, node) => onSelectStep(node.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      onlyRenderVisibleElements={large}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} color="#e2e8f0" />
      <Controls showInteractive={false} position="bottom-right" />
      {large ? <MiniMap pannable zoomable position="top-right" /> : null}
      <Panel position="bottom-left">
        <StatusLegend />
      </Panel>
    </ReactFlow>
  );
}
