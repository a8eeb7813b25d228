/**
 * The editor's state and its reducer. The pipeline is the one source of truth, and canvas nodes,
 * edges and the properties panels are derived from it. Every edit goes through `editorReducer`, so
 * an edit typed in a panel is in the state as soon as it is typed.
 */
import type { Pipeline, StepKind } from '@/lib/pipeline/schema';

import { connect, removeEdges, type EditResult, type StepConnection } from './connections';
import { addStep, deleteSteps, moveSteps, renameStepId, updateStep, type StepPatch } from './step-edits';

export interface EditorState {
  pipeline: Pipeline;
  selectedStepIds: string[];
  selectedEdgeIds: string[];
  /** Counts edits of the pipeline; selection changes do not count. */
  revision: number;
  /** The revision the last successful save stored. */
  savedRevision: number;
  /** The stored version the editor's pipeline is based on, sent as `expectedVersion` on save. */
  savedVersion: number;
  /** Reason the last edit was rejected (e.g. a connection that would close a cycle), until dismissed. */
  notice: string | null;
  /**
   * Step ids typed but rejected (e.g. `fetch data`), by the id the step still has. They outlive the
   * properties panel, so selecting the step again shows the text and its error until it is fixed
   * or reverted.
   */
  stepIdDrafts: ReadonlyMap<string, string>;
}

export type EditorAction =
  | { type: 'addStep'; kind: StepKind; position: { x: number; y: number } }
  | { type: 'updateStep'; stepId: string; patch: StepPatch }
  | { type: 'renameStep'; stepId: string; newId: string }
  /** Keeps (or, with null, forgets) a rejected id typed for a step; not an edit of the pipeline. */
  | { type: 'setStepIdDraft'; stepId: string; draft: string | null }
  | { type: 'moveSteps'; positions: ReadonlyMap<string, { x: number; y: number }> }
  /** Positions from an automatic layout of a pipeline that had none; not an unsaved change by itself. */
  | { type: 'arrangeSteps'; positions: ReadonlyMap<string, { x: number; y: number }> }
  | { type: 'connect'; connection: StepConnection }
  | { type: 'deleteElements'; stepIds: readonly string[]; edgeIds: readonly string[] }
  | { type: 'select'; stepIds: readonly string[]; edgeIds: readonly string[] }
  /** Selection changes as the canvas reports them, applied to the current selection. */
  | { type: 'changeSelection'; target: 'steps' | 'edges'; changes: readonly { id: string; selected: boolean }[] }
  /** Any other edit of the pipeline (ports, parameters, name); a rejected result becomes the notice. */
  | { type: 'edit'; apply: (pipeline: Pipeline) => Pipeline | EditResult }
  | { type: 'saved'; version: number; revision: number }
  | { type: 'load'; pipeline: Pipeline; version: number }
  | { type: 'dismissNotice' };

/** Builds the state for a pipeline just loaded from the server. */
export function createEditorState(pipeline: Pipeline, version: number): EditorState {
  return {
    pipeline,
    selectedStepIds: [],
    selectedEdgeIds: [],
    revision: 0,
    savedRevision: 0,
    savedVersion: version,
    notice: null,
    stepIdDrafts: new Map(),
  };
}

/** Returns true when the pipeline has edits that no save has stored yet. */
export function hasUnsavedChanges(state: EditorState): boolean {
  return state.revision !== state.savedRevision;
}

/** Returns the one selected step's id, or undefined when none or several are selected. */
export function singleSelectedStepId(state: EditorState): string | undefined {
  return state.selectedStepIds.length === 1 ? state.selectedStepIds[0] : undefined;
}

function withPipeline(state: EditorState, pipeline: Pipeline): EditorState {
  if (pipeline === state.pipeline) return state;
  return { ...state, pipeline, revision: state.revision + 1 };
}

function withResult(state: EditorState, result: EditResult): EditorState {
  if (!result.ok) return { ...state, notice: result.message };
  return { ...withPipeline(state, result.pipeline), notice: null };
}

function withoutDrafts(drafts: ReadonlyMap<string, string>, stepIds: readonly string[]): ReadonlyMap<string, string> {
  if (!stepIds.some((id) => drafts.has(id))) return drafts;
  const remaining = new Map(drafts);
  for (const id of stepIds) remaining.delete(id);
  return remaining;
}

/**
 * Sets the notice when the selection leaves a step whose typed id was rejected, because the panel
 * that showed the error closes and the step keeps its old id.
 */
function withUnappliedIdNotice(previous: EditorState, next: EditorState): EditorState {
  const leftStepId = singleSelectedStepId(previous);
  if (leftStepId === undefined || singleSelectedStepId(next) === leftStepId) return next;

  const draft = next.stepIdDrafts.get(leftStepId);
  if (draft === undefined) return next;
  const check = renameStepId(next.pipeline, leftStepId, draft);
  if (check.ok) return next;
  return {
    ...next,
    notice: `The id \`${draft}\` was not applied, so the step is still \`${leftStepId}\`. ${check.message} Select the step to fix or revert its id.`,
  };
}

/** Applies one action; pure, so the same action on the same state gives the same state. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  return withUnappliedIdNotice(state, applyAction(state, action));
}

function applyAction(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'addStep': {
      const added = addStep(state.pipeline, action.kind, action.position);
      return { ...withPipeline(state, added.pipeline), selectedStepIds: [added.stepId], selectedEdgeIds: [] };
    }

    case 'updateStep':
      return withPipeline(state, updateStep(state.pipeline, action.stepId, action.patch));

    case 'renameStep': {
      const result = renameStepId(state.pipeline, action.stepId, action.newId);
      if (!result.ok) return { ...state, notice: result.message };
      return {
        ...withPipeline(state, result.pipeline),
        selectedStepIds: state.selectedStepIds.map((id) => (id === action.stepId ? action.newId : id)),
        selectedEdgeIds: [],
        stepIdDrafts: withoutDrafts(state.stepIdDrafts, [action.stepId]),
      };
    }

    case 'setStepIdDraft': {
      if (action.draft === null) {
        const drafts = withoutDrafts(state.stepIdDrafts, [action.stepId]);
        return drafts === state.stepIdDrafts ? state : { ...state, stepIdDrafts: drafts };
      }
      if (state.stepIdDrafts.get(action.stepId) === action.draft) return state;
      return { ...state, stepIdDrafts: new Map([...state.stepIdDrafts, [action.stepId, action.draft]]) };
    }

    case 'moveSteps':
      return withPipeline(state, moveSteps(state.pipeline, action.positions));

    case 'arrangeSteps':
      return { ...state, pipeline: moveSteps(state.pipeline, action.positions) };

    case 'connect':
      return withResult(state, connect(state.pipeline, action.connection));

    case 'deleteElements': {
      const deletedSteps = new Set(action.stepIds);
      const deletedEdges = new Set(action.edgeIds);
      const pipeline = deleteSteps(removeEdges(state.pipeline, action.edgeIds), action.stepIds);
      return {
        ...withPipeline(state, pipeline),
        selectedStepIds: state.selectedStepIds.filter((id) => !deletedSteps.has(id)),
        selectedEdgeIds: state.selectedEdgeIds.filter((id) => !deletedEdges.has(id)),
        stepIdDrafts: withoutDrafts(state.stepIdDrafts, action.stepIds),
      };
    }

    case 'select':
      if (sameIds(state.selectedStepIds, action.stepIds) && sameIds(state.selectedEdgeIds, action.edgeIds)) return state;
      return { ...state, selectedStepIds: [...action.stepIds], selectedEdgeIds: [...action.edgeIds] };

    case 'changeSelection': {
      const key = action.target === 'steps' ? 'selectedStepIds' : 'selectedEdgeIds';
      const selected = new Set(state[key]);
      for (const change of action.changes) {
        if (change.selected) selected.add(change.id);
        else selected.delete(change.id);
      }
      const ids = [...selected];
      return sameIds(ids, state[key]) ? state : { ...state, [key]: ids };
    }

    case 'edit': {
      const result = action.apply(state.pipeline);
      return 'ok' in result ? withResult(state, result) : withPipeline(state, result);
    }

    case 'saved':
      return { ...state, savedRevision: action.revision, savedVersion: action.version };

    case 'load':
      return createEditorState(action.pipeline, action.version);

    case 'dismissNotice':
      return state.notice === null ? state : { ...state, notice: null };
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
