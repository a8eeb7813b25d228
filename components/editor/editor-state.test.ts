import { describe, expect, it } from 'vitest';

import { addInput } from './port-edits';
import {
  createEditorState,
  editorReducer,
  hasUnsavedChanges,
  singleSelectedStepId,
  type EditorAction,
  type EditorState,
} from './editor-state';
import { buildPipeline, fetchTrainReport } from './test-pipelines';

function apply(state: EditorState, ...actions: EditorAction[]): EditorState {
  return actions.reduce(editorReducer, state);
}

describe('editorReducer', () => {
  it('adds a step and selects it', () => {
    const state = apply(createEditorState(buildPipeline([]), 1), { type: 'addStep', kind: 'shell', position: { x: 40, y: 60 } });

    expect(state.pipeline.steps.map((step) => step.id)).toEqual(['shell-1']);
    expect(state.selectedStepIds).toEqual(['shell-1']);
    expect(singleSelectedStepId(state)).toBe('shell-1');
    expect(hasUnsavedChanges(state)).toBe(true);
  });

  it('keeps every keystroke of a field edit', () => {
    const start = apply(createEditorState(buildPipeline([]), 1), { type: 'addStep', kind: 'container', position: { x: 0, y: 0 } });
    const typed = ['b', 'bu', 'bus', 'busybox'].map((image): EditorAction => ({ type: 'updateStep', stepId: 'step-1', patch: { image } }));

    const state = apply(start, ...typed, { type: 'select', stepIds: [], edgeIds: [] });

    expect(state.pipeline.steps[0]!.image).toBe('busybox');
    expect(state.revision).toBe(5);
  });

  it('automatic arrangement does not mark changes', () => {
    const state = apply(createEditorState(fetchTrainReport(), 1), { type: 'arrangeSteps', positions: new Map([['fetch', { x: 9, y: 8 }]]) });

    expect(state.pipeline.steps[0]!.position).toEqual({ x: 9, y: 8 });
    expect(hasUnsavedChanges(state)).toBe(false);
  });

  it('selection alone does not mark changes', () => {
    const state = apply(createEditorState(fetchTrainReport(), 4), { type: 'select', stepIds: ['train'], edgeIds: [] });

    expect(state.selectedStepIds).toEqual(['train']);
    expect(hasUnsavedChanges(state)).toBe(false);
  });

  it('applies canvas selection changes', () => {
    const state = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'changeSelection', target: 'steps', changes: [{ id: 'fetch', selected: true }] },
      { type: 'changeSelection', target: 'edges', changes: [{ id: 'order:fetch>report', selected: true }] },
      { type: 'changeSelection', target: 'steps', changes: [{ id: 'fetch', selected: false }, { id: 'train', selected: true }] },
    );

    expect(state.selectedStepIds).toEqual(['train']);
    expect(state.selectedEdgeIds).toEqual(['order:fetch>report']);
  });

  it('renaming the selected step keeps it selected', () => {
    const state = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'select', stepIds: ['fetch'], edgeIds: [] },
      { type: 'renameStep', stepId: 'fetch', newId: 'download' },
    );

    expect(state.selectedStepIds).toEqual(['download']);
    expect(state.pipeline.steps[2]!.dependsOn).toEqual(['download']);
    expect(state.pipeline.steps[1]!.inputs[0]!.from).toEqual({ step: 'download', output: 'data' });
  });

  it('deleting a step removes its edges and references', () => {
    const state = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'select', stepIds: ['fetch'], edgeIds: ['order:fetch>report'] },
      { type: 'deleteElements', stepIds: ['fetch'], edgeIds: ['input:train.data', 'order:fetch>report'] },
    );

    expect(state.pipeline.steps.map((step) => step.id)).toEqual(['train', 'report']);
    expect(state.pipeline.steps[0]!.inputs).toEqual([{ name: 'data', type: 'artifact' }]);
    expect(state.pipeline.steps[1]!.dependsOn).toEqual([]);
    expect(state.selectedStepIds).toEqual([]);
    expect(state.selectedEdgeIds).toEqual([]);
  });

  it('deleting an edge alone unbinds the input', () => {
    const state = apply(createEditorState(fetchTrainReport(), 1), { type: 'deleteElements', stepIds: [], edgeIds: ['input:report.model'] });

    expect(state.pipeline.steps.map((step) => step.id)).toEqual(['fetch', 'train', 'report']);
    expect(state.pipeline.steps[2]!.inputs).toEqual([{ name: 'model', type: 'artifact' }]);
  });

  it('keeps a rejected id after the selection moves', () => {
    const state = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'select', stepIds: ['fetch'], edgeIds: [] },
      { type: 'setStepIdDraft', stepId: 'fetch', draft: 'fetch data' },
      { type: 'select', stepIds: ['train'], edgeIds: [] },
    );

    expect(state.pipeline.steps[0]!.id).toBe('fetch');
    expect(state.stepIdDrafts.get('fetch')).toBe('fetch data');
    expect(state.notice).toBe(
      'The id `fetch data` was not applied, so the step is still `fetch`. An id must be a DNS-1123 label: lower-case letters, ' +
        'digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters. ' +
        'Select the step to fix or revert its id.',
    );
    expect(hasUnsavedChanges(state)).toBe(false);
  });

  it('sets no notice for a reverted id', () => {
    const state = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'select', stepIds: ['fetch'], edgeIds: [] },
      { type: 'setStepIdDraft', stepId: 'fetch', draft: 'train' },
      { type: 'setStepIdDraft', stepId: 'fetch', draft: null },
      { type: 'select', stepIds: [], edgeIds: [] },
    );

    expect(state.stepIdDrafts.size).toBe(0);
    expect(state.notice).toBeNull();
  });

  it('renaming or deleting a step drops its rejected id', () => {
    const withDraft = apply(
      createEditorState(fetchTrainReport(), 1),
      { type: 'select', stepIds: ['fetch'], edgeIds: [] },
      { type: 'setStepIdDraft', stepId: 'fetch', draft: 'Fetch' },
    );

    const renamed = apply(withDraft, { type: 'renameStep', stepId: 'fetch', newId: 'download' });
    const deleted = apply(withDraft, { type: 'deleteElements', stepIds: ['fetch'], edgeIds: [] });

    expect(renamed.stepIdDrafts.size).toBe(0);
    expect(renamed.notice).toBeNull();
    expect(deleted.stepIdDrafts.size).toBe(0);
    expect(deleted.notice).toBeNull();
  });

  it('a rejected connection sets the notice', () => {
    const before = createEditorState(fetchTrainReport(), 1);
    const state = apply(before, {
      type: 'connect',
      connection: { source: 'report', sourceHandle: 'order-out', target: 'fetch', targetHandle: 'order-in' },
    });

    expect(state.pipeline).toBe(before.pipeline);
    expect(state.notice).toBe(
      'Connecting `report` to `fetch` would create a cycle (fetch → report → fetch); steps must not wait for each other in a loop.',
    );
    expect(apply(state, { type: 'dismissNotice' }).notice).toBeNull();
  });

  it('applies generic edits', () => {
    const state = apply(createEditorState(fetchTrainReport(), 1), { type: 'edit', apply: (pipeline) => addInput(pipeline, 'fetch') });

    expect(state.pipeline.steps[0]!.inputs).toEqual([{ name: 'input_1', type: 'string' }]);
    expect(state.revision).toBe(1);
  });

  it('stays unsaved when edits follow the saved revision', () => {
    const edited = apply(createEditorState(fetchTrainReport(), 1), { type: 'updateStep', stepId: 'fetch', patch: { name: 'F' } });
    const savedDuringEdit = apply(
      edited,
      { type: 'updateStep', stepId: 'fetch', patch: { name: 'Fe' } },
      { type: 'saved', version: 2, revision: edited.revision },
    );

    expect(savedDuringEdit.savedVersion).toBe(2);
    expect(hasUnsavedChanges(savedDuringEdit)).toBe(true);
    expect(hasUnsavedChanges(apply(savedDuringEdit, { type: 'saved', version: 3, revision: savedDuringEdit.revision }))).toBe(false);
  });
});
