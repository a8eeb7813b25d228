'use client';

import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
  type FitViewOptions,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { StepRunRecord } from '@/lib/engine/types';
import type { Pipeline } from '@/lib/pipeline/schema';

import { ROUTED_EDGE_TYPES } from './routed-edge';
import { buildRunGraph, keepUnchangedNodes, type StepNode } from './run-graph-model';
import { StatusLegend } from './status-legend';
import { StepNodeView } from './step-node';

const nodeTypes: NodeTypes = { step: StepNodeView };

/**
 * Fitting never zooms out below half size, where node text is no longer readable: a graph too big
 * for its area at that zoom is shown in part, and a person pans to see the rest.
 */
const fitViewOptions: FitViewOptions = { padding: 0.15, minZoom: 0.5, maxZoom: 1.2 };

/**
 * Fits the graph again when its area changes size, e.g. when the step panel opens beside it, so
 * the step just clicked does not end up hidden behind the panel.
 */
function FitViewOnResize() {
  const { fitView } = useReactFlow();
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const firstSize = useRef(true);

  useEffect(() => {
    // The first size is handled by the `fitView` prop.
    if (firstSize.current) {
      firstSize.current = false;
      return;
    }
    void fitView(fitViewOptions);
  }, [width, height, fitView]);

  return null;
}

/** Above this many steps the graph shows a minimap and renders only the nodes in view. */
const LARGE_GRAPH_STEPS = 50;

interface RunGraphProps {
  pipeline: Pipeline;
  steps: readonly StepRunRecord[];
  selectedStepId: string | null;
  onSelectStep: (stepId: string) => void;
}

/** Shows the read-only graph of a run, each step coloured by its live status. Clicking a step selects it. */
export function RunGraph({ pipeline, steps, selectedStepId, onSelectStep }: RunGraphProps) {
  const graph = useMemo(() => buildRunGraph(pipeline, steps), [pipeline, steps]);
  const builtNodes = useMemo(
    () => graph.nodes.map((node): StepNode => (node.id === selectedStepId ? { ...node, selected: true } : node)),
    [graph.nodes, selectedStepId],
  );

  // New nodes are merged into the previous ones, so each poll re-renders only the steps that
  // changed. Updating state while rendering is React's pattern for state derived from a prop change.
  const [merged, setMerged] = useState({ built: builtNodes, nodes: builtNodes });
  if (merged.built !== builtNodes) {
    setMerged({ built: builtNodes, nodes: keepUnchangedNodes(merged.nodes, builtNodes) });
  }
  const nodes = merged.nodes;
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
      edgeTypes={ROUTED_EDGE_TYPES}
      onNodesChange={onNodesChange}
      onNodeClick={(_, node) => onSelectStep(node.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      onlyRenderVisibleElements={large}
      fitView
      fitViewOptions={fitViewOptions}
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
    >
      <FitViewOnResize />
      <Background gap={20} color="#e2e8f0" />
      <Controls showInteractive={false} position="bottom-right" />
      {large ? <MiniMap pannable zoomable position="top-right" /> : null}
      <Panel position="bottom-left">
        <StatusLegend />
      </Panel>
    </ReactFlow>
  );
}
