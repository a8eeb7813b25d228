import { describe, expect, it } from 'vitest';

import {
  addInput,
  addOutput,
  addParameter,
  removeOutput,
  removeParameter,
  renameInput,
  renameOutput,
  renameParameter,
  updateInput,
  updateParameter,
} from './port-edits';
import { buildPipeline, fetchTrainReport } from './test-pipelines';

describe('inputs', () => {
  it('adds inputs with unused names', () => {
    const pipeline = addInput(addInput(fetchTrainReport(), 'fetch'), 'fetch');

    expect(pipeline.steps[0]!.inputs).toEqual([
      { name: 'input_1', type: 'string' },
      { name: 'input_2', type: 'string' },
    ]);
  });

  it('renames an input and its placeholders', () => {
    const result = renameInput(fetchTrainReport(), 'train', 0, 'dataset');

    expect(result.ok).toBe(true);
    const train = result.ok ? result.pipeline.steps[1]! : undefined;
    expect(train?.inputs).toEqual([{ name: 'dataset', type: 'artifact', from: { step: 'fetch', output: 'data' } }]);
    expect(train?.command).toEqual(['python3', 'train.py', '{{inputs.dataset}}', '{{outputs.model}}']);
  });

  it('rejects a duplicate input name', () => {
    const pipeline = addInput(fetchTrainReport(), 'train');

    expect(renameInput(pipeline, 'train', 1, 'data')).toEqual({
      ok: false,
      message: 'Another input already has the name `data`.',
    });
  });

  it('clears the source when set to undefined', () => {
    const pipeline = updateInput(fetchTrainReport(), 'train', 0, { from: undefined, optional: true });

    expect(pipeline.steps[1]!.inputs).toEqual([{ name: 'data', type: 'artifact', optional: true }]);
  });
});

describe('outputs', () => {
  it('renames an output and the inputs bound to it', () => {
    const result = renameOutput(fetchTrainReport(), 'train', 0, 'weights');

    expect(result.ok).toBe(true);
    const steps = result.ok ? result.pipeline.steps : [];
    expect(steps[1]!.outputs).toEqual([{ name: 'weights', type: 'artifact' }]);
    expect(steps[1]!.command).toEqual(['python3', 'train.py', '{{inputs.data}}', '{{outputs.weights}}']);
    expect(steps[2]!.inputs[0]!.from).toEqual({ step: 'train', output: 'weights' });
  });

  it('rejects an invalid output name', () => {
    expect(renameOutput(fetchTrainReport(), 'train', 0, '1model')).toEqual({
      ok: false,
      message: 'The output name must start with a letter or "_" and contain only letters, digits and "_" (at most 63).',
    });
  });

  it('removing an output unbinds its consumers', () => {
    const pipeline = removeOutput(fetchTrainReport(), 'train', 0);

    expect(pipeline.steps[1]!.outputs).toEqual([]);
    expect(pipeline.steps[2]!.inputs).toEqual([{ name: 'model', type: 'artifact' }]);
  });

  it('adds outputs with unused names', () => {
    expect(addOutput(fetchTrainReport(), 'report').steps[2]!.outputs).toEqual([{ name: 'output_1', type: 'string' }]);
  });
});

describe('parameters', () => {
  function withBoundParameter() {
    return buildPipeline(
      [
        {
          id: 'a',
          name: 'A',
          image: 'alpine',
          command: ['echo', '{{inputs.n}}'],
          inputs: [{ name: 'n', type: 'number', from: { parameter: 'epochs' } }],
        },
      ],
      [{ name: 'epochs', type: 'number', default: 3 }],
    );
  }

  it('renames a parameter and its bindings', () => {
    const result = renameParameter(withBoundParameter(), 0, 'rounds');

    expect(result.ok).toBe(true);
    const pipeline = result.ok ? result.pipeline : undefined;
    expect(pipeline?.parameters).toEqual([{ name: 'rounds', type: 'number', default: 3 }]);
    expect(pipeline?.steps[0]!.inputs[0]!.from).toEqual({ parameter: 'rounds' });
  });

  it('removing a parameter unbinds its inputs', () => {
    const pipeline = removeParameter(withBoundParameter(), 0);

    expect(pipeline.parameters).toEqual([]);
    expect(pipeline.steps[0]!.inputs).toEqual([{ name: 'n', type: 'number' }]);
  });

  it('adds and updates parameters', () => {
    const pipeline = updateParameter(addParameter(buildPipeline([])), 0, { type: 'boolean', default: true });

    expect(pipeline.parameters).toEqual([{ name: 'param_1', type: 'boolean', default: true }]);
    expect(updateParameter(pipeline, 0, { default: undefined }).parameters).toEqual([{ name: 'param_1', type: 'boolean' }]);
  });
});
