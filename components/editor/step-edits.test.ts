import { describe, expect, it } from 'vitest';

import { addStep, deleteSteps, findFreePosition, moveSteps, renameStepId, updateStep } from './step-edits';
import { buildPipeline, fetchTrainReport } from './test-pipelines';

describe('addStep', () => {
  it('adds palette steps with ids derived from the kind', () => {
    const first = addStep(buildPipeline([]), 'container', { x: 10, y: 20 });
    const second = addStep(first.pipeline, 'shell', { x: 300, y: 20 });
    const third = addStep(second.pipeline, 'python', { x: 600, y: 20 });

    expect([first.stepId, second.stepId, third.stepId]).toEqual(['step-1', 'shell-2', 'python-3']);
    expect(third.pipeline.steps[0]).toEqual({
      id: 'step-1',
      name: 'Container step',
      kind: 'container',
      image: 'alpine:3.20',
      command: ['echo'],
      args: ['Hello from Pipedeck'],
      env: [],
      inputs: [],
      outputs: [],
      dependsOn: [],
      position: { x: 10, y: 20 },
    });
    expect(third.pipeline.steps[1]!.command).toEqual(['sh', '-c', 'echo "Hello from a shell step"', 'sh']);
    expect(third.pipeline.steps[2]!.image).toBe('python:3.12-slim');
    expect(third.pipeline.steps[2]!.command).toEqual(['python3', '-c', 'print("Hello from a Python step")']);
  });

  it('skips ids already taken', () => {
    const pipeline = buildPipeline([{ id: 'step-2', name: 'x', image: 'a', command: ['b'] }]);

    expect(addStep(pipeline, 'container', { x: 0, y: 0 }).stepId).toBe('step-3');
  });
});

describe('findFreePosition', () => {
  it('moves below steps that would overlap', () => {
    const pipeline = buildPipeline([
      { id: 'a', name: 'A', image: 'x', command: ['y'], position: { x: 100, y: 100 } },
      { id: 'b', name: 'B', image: 'x', command: ['y'], position: { x: 120, y: 230 } },
    ]);

    expect(findFreePosition(pipeline, { x: 110, y: 110 })).toEqual({ x: 110, y: 370 });
    expect(findFreePosition(pipeline, { x: 500, y: 110 })).toEqual({ x: 500, y: 110 });
  });
});

describe('updateStep', () => {
  it('changes fields and removes ones set to undefined', () => {
    const pipeline = buildPipeline([{ id: 'a', name: 'A', image: 'alpine', command: ['true'], workingDir: '/work' }]);

    const updated = updateStep(pipeline, 'a', { image: 'busybox', args: ['-x'], workingDir: undefined });

    expect(updated.steps[0]).toEqual({
      id: 'a',
      name: 'A',
      kind: 'container',
      image: 'busybox',
      command: ['true'],
      args: ['-x'],
      env: [],
      inputs: [],
      outputs: [],
      dependsOn: [],
      position: { x: 0, y: 0 },
    });
    expect(pipeline.steps[0]!.image).toBe('alpine');
  });
});

describe('moveSteps', () => {
  it('sets positions of the given steps only', () => {
    const moved = moveSteps(fetchTrainReport(), new Map([['train', { x: 5, y: 6 }]]));

    expect(moved.steps.map((step) => step.position)).toEqual([
      { x: 0, y: 0 },
      { x: 5, y: 6 },
      { x: 0, y: 0 },
    ]);
  });
});

describe('renameStepId', () => {
  it('renaming an id updates references', () => {
    const result = renameStepId(fetchTrainReport(), 'fetch', 'download');

    expect(result.ok).toBe(true);
    const steps = result.ok ? result.pipeline.steps : [];
    expect(steps.map((step) => step.id)).toEqual(['download', 'train', 'report']);
    expect(steps[1]!.inputs[0]!.from).toEqual({ step: 'download', output: 'data' });
    expect(steps[2]!.dependsOn).toEqual(['download']);
    expect(steps[2]!.inputs[0]!.from).toEqual({ step: 'train', output: 'model' });
  });

  it('rejects an invalid id and keeps the pipeline', () => {
    const pipeline = fetchTrainReport();

    expect(renameStepId(pipeline, 'fetch', 'Fetch_1')).toEqual({
      ok: false,
      message:
        'An id must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters.',
    });
    expect(pipeline.steps[0]!.id).toBe('fetch');
  });

  it('rejects an id another step has', () => {
    expect(renameStepId(fetchTrainReport(), 'fetch', 'train')).toEqual({
      ok: false,
      message: 'Another step already has the id `train`.',
    });
  });
});

describe('deleteSteps', () => {
  it('deleting a step unbinds its consumers', () => {
    const pipeline = deleteSteps(fetchTrainReport(), ['fetch']);

    expect(pipeline.steps.map((step) => step.id)).toEqual(['train', 'report']);
    expect(pipeline.steps[0]!.inputs).toEqual([{ name: 'data', type: 'artifact' }]);
    expect(pipeline.steps[1]!.dependsOn).toEqual([]);
    expect(pipeline.steps[1]!.inputs[0]!.from).toEqual({ step: 'train', output: 'model' });
  });

  it('leaves no reference to any deleted step', () => {
    const pipeline = deleteSteps(fetchTrainReport(), ['fetch', 'train']);

    expect(pipeline.steps).toHaveLength(1);
    expect(pipeline.steps[0]!.inputs).toEqual([{ name: 'model', type: 'artifact' }]);
    expect(pipeline.steps[0]!.dependsOn).toEqual([]);
  });
});
