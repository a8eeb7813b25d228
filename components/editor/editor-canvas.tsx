'use client';

import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type DragEvent, type RefObject } from 'react';

import type { ValidationIssue } from '@/lib/pipeline/issues';

import { ROUTED_EDGE_TYPES } from '@/components/run/routed-edge';
import { Button } from '@/components/ui/button';

import { hasDistinctPositions, layoutSteps } from './auto-layout';
import type { EditorAction, EditorState } from './editor-state';
import { toFlowEdges, toFlowNodes, type NodeDataCache, type StepNode } from './flow-elements';
import { NODE_TYPES } from './step-node';
import { isStepKind } from './step-templates';

/** MIME type of palette drags; the payload is the step kind. */
export const STEP_KIND_MIME = 'application/x-pipedeck-step-kind';

/** Half the size of a new node, so a dropped step is centred on the pointer. */
const DROP_OFFSET = { x: 120, y: 40 };

const DELETE_KEYS = ['Backspace', 'Delete'];

/**
 * Fitting never zooms out below half size, where step titles are no longer readable: a pipeline too
 * wide for the canvas at that zoom is shown in part, and a person pans to see the rest.
 */
const FIT_VIEW_OPTIONS = { minZoom: 0.5, maxZoom: 1, padding: 0.08 };

/**
 * The canvas: steps as nodes, bindings and dependsOn entries as edges. React Flow is fully
 * controlled: every change it reports becomes an editor action, and nodes and edges are rebuilt
 * from the pipeline, so the canvas can never hold an edit the pipeline does not.
 */
export function EditorCanvas({
  state,
  dispatch,
  issuesByStep,
  canvasRef,
}: {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  issuesByStep: ReadonlyMap<string, ValidationIssue[]>;
  canvasRef: RefObject<HTMLDivElement | null>;
}) {
  const { screenToFlowPosition, fitView, getNodes } = useReactFlow();
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());

  const pipeline = state.pipeline;
  const tidy = useCallback(
    async (countsAsEdit: boolean) => {
      const sizes = new Map(getNodes().map((node) => [node.id, { width: node.measured?.width ?? 240, height: node.measured?.height ?? 90 }]));
      const positions = await layoutSteps(pipeline, sizes);
      dispatch({ type: countsAsEdit ? 'moveSteps' : 'arrangeSteps', positions });
      // Fit once React Flow has the new positions, two frames later.
      requestAnimationFrame(() => requestAnimationFrame(() => void fitView(FIT_VIEW_OPTIONS)));
    },
    [dispatch, fitView, getNodes, pipeline],
  );

  // Fit the view once, when the steps of the opened pipeline have been measured, and lay them out
  // first if they have no positions of their own. An empty canvas is never fitted later, because
  // that would re-centre on the first dropped step, away from where it was dropped.
  const nodesInitialized = useNodesInitialized();
  const fittedRef = useRef(state.pipeline.steps.length === 0);
  useEffect(() => {
    if (!nodesInitialized || fittedRef.current) return;
    fittedRef.current = true;
    if (hasDistinctPositions(pipeline)) void fitView(FIT_VIEW_OPTIONS);
    else void tidy(false);
  }, [nodesInitialized, fitView, pipeline, tidy]);

  const [nodeDataCache] = useState<NodeDataCache>(() => new Map());
  const nodes = useMemo(
    () => toFlowNodes(state.pipeline, state.selectedStepIds, measured, issuesByStep, nodeDataCache),
    [state.pipeline, state.selectedStepIds, measured, issuesByStep, nodeDataCache],
  );
  const edges = useMemo(() => toFlowEdges(state.pipeline, state.selectedEdgeIds), [state.pipeline, state.selectedEdgeIds]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepNode>[]) => {
      const positions = new Map<string, { x: number; y: number }>();
      const selection: { id: string; selected: boolean }[] = [];
      const sizes: [string, { width: number; height: number }][] = [];
      for (const change of changes) {
        if (change.type === 'position' && change.position) positions.set(change.id, change.position);
        else if (change.type === 'select') selection.push({ id: change.id, selected: change.selected });
        else if (change.type === 'dimensions' && change.dimensions) sizes.push([change.id, change.dimensions]);
        // 'remove' changes are handled once, in onDelete, together with the edges that go along.
      }

      if (sizes.length > 0) setMeasured((previous) => new Map([...previous, ...sizes]));
      if (positions.size > 0) dispatch({ type: 'moveSteps', positions });
      if (selection.length > 0) dispatch({ type: 'changeSelection', target: 'steps', changes: selection });
    },
    [dispatch],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const selection = changes.flatMap((change) => (change.type === 'select' ? [{ id: change.id, selected: change.selected }] : []));
      if (selection.length > 0) dispatch({ type: 'changeSelection', target: 'edges', changes: selection });
    },
    [dispatch],
  );

  const onDelete: OnDelete = useCallback(
    ({ nodes: deletedNodes, edges: deletedEdges }) => {
      dispatch({ type: 'deleteElements', stepIds: deletedNodes.map((node) => node.id), edgeIds: deletedEdges.map((edge) => edge.id) });
    },
    [dispatch],
  );

  const onConnect = useCallback((connection: Connection) => dispatch({ type: 'connect', connection }), [dispatch]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(STEP_KIND_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(STEP_KIND_MIME);
      if (!isStepKind(kind)) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      dispatch({ type: 'addStep', kind, position: { x: Math.round(point.x - DROP_OFFSET.x), y: Math.round(point.y - DROP_OFFSET.y) } });
    },
    [dispatch, screenToFlowPosition],
  );

  return (
    <div ref={canvasRef} className="relative h-full w-full" onDragOver={onDragOver} onDrop={onDrop} role="region" aria-label="Pipeline canvas">
      <ReactFlow<StepNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={ROUTED_EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        deleteKeyCode={DELETE_KEYS}
        minZoom={0.1}
        defaultEdgeOptions={{ interactionWidth: 16 }}
      >
        <Background gap={16} color="#cbd5e1" />
        <Panel position="top-right">
          <Button size="sm" onClick={() => void tidy(true)} disabled={pipeline.steps.length < 2} title="Arrange the steps in layers, data flowing left to right">
            Tidy layout
          </Button>
        </Panel>
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          ariaLabel="Canvas overview"
          nodeColor={(node) => (issuesByStep.has(node.id) ? '#fca5a5' : '#cbd5e1')}
          className="!hidden md:!block"
        />
      </ReactFlow>
      {state.pipeline.steps.length === 0 ? (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
          <p className="rounded-md border border-dashed border-slate-300 bg-white/80 px-4 py-3 text-sm text-slate-600">
            Drag a step from the palette onto the canvas, or click one to add it.
          </p>
        </div>
      ) : null}
      {state.notice ? (
        <div role="alert" className="absolute top-3 left-1/2 z-10 flex max-w-xl -translate-x-1/2 items-start gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 shadow">
          <p className="flex-1">{state.notice}</p>
          <button
            type="button"
            onClick={() => dispatch({ type: 'dismissNotice' })}
            className="shrink-0 text-amber-800 hover:text-amber-950"
            aria-label="Dismiss message"
          >
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
