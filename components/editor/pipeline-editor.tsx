'use client';

import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useMemo, useReducer, useRef, useState } from 'react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ValidationIssue } from '@/lib/pipeline/issues';
import type { Pipeline, StepKind } from '@/lib/pipeline/schema';
import { validatePipeline } from '@/lib/pipeline/validate';

import { EditorCanvas } from './editor-canvas';
import { createEditorState, editorReducer, hasUnsavedChanges, singleSelectedStepId } from './editor-state';
import { EditorToolbar } from './editor-toolbar';
import { groupIssuesByStep } from './flow-elements';
import { PipelineProperties } from './pipeline-properties';
import { ProblemsList } from './problems-list';
import { RunDialog } from './run-dialog';
import { SaveBanner } from './save-banner';
import { StepPalette } from './step-palette';
import { findFreePosition } from './step-edits';
import { limitIssues } from './step-limits';
import { StepProperties } from './step-properties';
import { useSavePipeline } from './use-save-pipeline';
import { useUnsavedChangesGuard } from './use-unsaved-changes-guard';

/** Problems the editor shows and that block Run: the pipeline's rules plus each step's limits. */
function checkPipeline(pipeline: Pipeline): ValidationIssue[] {
  return [...validatePipeline(pipeline), ...pipeline.steps.flatMap(limitIssues)];
}

interface PipelineEditorProps {
  pipelineId: string;
  /** The stored version `definition` comes from. */
  version: number;
  definition: Pipeline;
}

/** The pipeline editor: palette, canvas, properties panel, problems, Save and Run. */
export function PipelineEditor(props: PipelineEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorWorkspace {...props} />
    </ReactFlowProvider>
  );
}

function EditorWorkspace({ pipelineId, version, definition }: PipelineEditorProps) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () => createEditorState(definition, version));
  const { screenToFlowPosition } = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const { status: saveStatus, save, reload, dismiss } = useSavePipeline(pipelineId, state, dispatch);
  const [runVersion, setRunVersion] = useState<number | null>(null);
  const [blockingIssues, setBlockingIssues] = useState<ValidationIssue[] | null>(null);

  // Validation runs on a deferred copy, so typing and dragging stay responsive on big pipelines.
  const deferredPipeline = useDeferredValue(state.pipeline);
  const issues = useMemo(() => checkPipeline(deferredPipeline), [deferredPipeline]);
  const issuesByStep = useMemo(() => groupIssuesByStep(issues), [issues]);

  const unsaved = hasUnsavedChanges(state);
  useUnsavedChangesGuard(unsaved);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [save]);

  const onAdd = useCallback(
    (kind: StepKind) => {
      const bounds = canvasRef.current?.getBoundingClientRect();
      const centre = bounds
        ? screenToFlowPosition({ x: bounds.left + bounds.width / 2, y: bounds.top + bounds.height / 2 })
        : { x: 0, y: 0 };
      const position = findFreePosition(state.pipeline, { x: Math.round(centre.x - 120), y: Math.round(centre.y - 40) });
      dispatch({ type: 'addStep', kind, position });
    },
    [screenToFlowPosition, state.pipeline],
  );

  const onRun = useCallback(async () => {
    const current = checkPipeline(state.pipeline);
    const noSteps: ValidationIssue[] =
      state.pipeline.steps.length === 0 ? [{ code: 'invalid_field', field: 'steps', message: 'The pipeline has no steps; add at least one step.' }] : [];
    if (current.length > 0 || noSteps.length > 0) {
      setBlockingIssues([...noSteps, ...current]);
      return;
    }
    const savedVersion = await save();
    if (savedVersion !== null) setRunVersion(savedVersion);
  }, [save, state.pipeline]);

  const selectedStepId = singleSelectedStepId(state);
  const selectedIndex = selectedStepId === undefined ? -1 : state.pipeline.steps.findIndex((step) => step.id === selectedStepId);
  const selectedStep = state.pipeline.steps[selectedIndex];

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <EditorToolbar
        name={state.pipeline.name}
        version={state.savedVersion}
        unsaved={unsaved}
        saveStatus={saveStatus}
        problemCount={issues.length}
        onSave={() => void save()}
        onRun={() => void onRun()}
      />
      <SaveBanner status={saveStatus} onReload={() => void reload()} onOverwrite={() => void save({ overwrite: true })} onDismiss={dismiss} />

      <div className="flex min-h-0 flex-1">
        <aside aria-label="Palette" className="w-52 shrink-0 overflow-y-auto border-r border-slate-200 bg-white">
          <StepPalette onAdd={onAdd} />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <div className="min-h-0 flex-1">
            <EditorCanvas state={state} dispatch={dispatch} issuesByStep={issuesByStep} canvasRef={canvasRef} />
          </div>
          <ProblemsList issues={issues} dispatch={dispatch} />
        </div>
        <aside aria-label="Properties" className="w-[22rem] shrink-0 overflow-y-auto border-l border-slate-200 bg-white">
          {selectedStep ? (
            // Keyed by position, not id: renaming the id must not remount the field being typed in.
            <StepProperties
              key={selectedIndex}
              pipeline={state.pipeline}
              step={selectedStep}
              issues={issuesByStep.get(selectedStep.id) ?? []}
              idDraft={state.stepIdDrafts.get(selectedStep.id)}
              dispatch={dispatch}
            />
          ) : state.selectedStepIds.length > 1 ? (
            <div className="flex flex-col gap-2 p-4 text-sm">
              <p>{state.selectedStepIds.length} steps selected.</p>
              <Button
                variant="danger"
                className="self-start"
                onClick={() => dispatch({ type: 'deleteElements', stepIds: state.selectedStepIds, edgeIds: state.selectedEdgeIds })}
              >
                Delete selected steps
              </Button>
            </div>
          ) : (
            <PipelineProperties pipeline={state.pipeline} issues={issues} dispatch={dispatch} />
          )}
        </aside>
      </div>

      {runVersion !== null ? (
        <RunDialog open onClose={() => setRunVersion(null)} pipelineId={pipelineId} pipeline={state.pipeline} version={runVersion} />
      ) : null}
      <Dialog open={blockingIssues !== null} title="This pipeline cannot run yet" onClose={() => setBlockingIssues(null)} className="max-w-xl">
        <p className="text-sm text-slate-700">Fix these problems first; each is also marked on its step.</p>
        <ul className="max-h-72 list-disc overflow-y-auto pl-5 text-sm text-red-800" aria-label="Problems that block the run">
          {(blockingIssues ?? []).map((issue, index) => (
            <li key={index}>{issue.message}</li>
          ))}
        </ul>
        <div className="flex justify-end">
          <Button onClick={() => setBlockingIssues(null)}>Close</Button>
        </div>
      </Dialog>
    </div>
  );
}
