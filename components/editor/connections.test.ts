import { describe, expect, it } from 'vitest';

import { connect, listStepEdges, parseEdgeId, pathBetween, removeEdges } from './connections';
import { buildPipeline, fetchTrainReport } from './test-pipelines';

function twoSteps() {
  return buildPipeline([
    {
      id: 'a',
      name: 'A',
      image: 'alpine',
      command: ['true'],
      outputs: [
        { name: 'count', type: 'number' },
        { name: 'files', type: 'artifact' },
      ],
    },
    {
      id: 'b',
      name: 'B',
      image: 'alpine',
      command: ['true'],
      inputs: [
        { name: 'text', type: 'string' },
        { name: 'flag', type: 'boolean' },
      ],
    },
  ]);
}

describe('listStepEdges', () => {
  it('lists data and order edges', () => {
    expect(listStepEdges(fetchTrainReport())).toEqual([
      {
        id: 'input:train.data',
        kind: 'data',
        source: 'fetch',
        target: 'train',
        sourceHandle: 'out:data',
        targetHandle: 'in:data',
        label: 'data',
      },
      {
        id: 'input:report.model',
        kind: 'data',
        source: 'train',
        target: 'report',
        sourceHandle: 'out:model',
        targetHandle: 'in:model',
        label: 'model',
      },
      {
        id: 'order:fetch>report',
        kind: 'order',
        source: 'fetch',
        target: 'report',
        sourceHandle: 'order-out',
        targetHandle: 'order-in',
      },
    ]);
  });

  it('leaves out bindings to missing steps and outputs', () => {
    const pipeline = buildPipeline([
      {
        id: 'a',
        name: 'A',
        image: 'alpine',
        command: ['true'],
        inputs: [
          { name: 'x', type: 'string', from: { step: 'ghost', output: 'y' } },
          { name: 'z', type: 'string', from: { step: 'b', output: 'missing' } },
        ],
        dependsOn: ['ghost', 'a'],
      },
      { id: 'b', name: 'B', image: 'alpine', command: ['true'] },
    ]);

    expect(listStepEdges(pipeline)).toEqual([]);
  });
});

describe('parseEdgeId', () => {
  it('parses data and order edge ids', () => {
    expect(parseEdgeId('input:train.data')).toEqual({ kind: 'data', stepId: 'train', inputName: 'data' });
    expect(parseEdgeId('order:fetch>report')).toEqual({ kind: 'order', upstreamId: 'fetch', downstreamId: 'report' });
    expect(parseEdgeId('xy-edge__a-b')).toBeUndefined();
  });
});

describe('connect', () => {
  it('binds an input to an output', () => {
    const result = connect(twoSteps(), { source: 'a', sourceHandle: 'out:count', target: 'b', targetHandle: 'in:text' });

    expect(result.ok).toBe(true);
    const inputs = result.ok ? result.pipeline.steps[1]!.inputs : [];
    expect(inputs).toEqual([
      { name: 'text', type: 'string', from: { step: 'a', output: 'count' } },
      { name: 'flag', type: 'boolean' },
    ]);
  });

  it('adds a dependsOn entry once for order handles', () => {
    const connection = { source: 'a', sourceHandle: 'order-out', target: 'b', targetHandle: 'order-in' };
    const first = connect(twoSteps(), connection);
    const second = first.ok ? connect(first.pipeline, connection) : first;

    expect(second.ok).toBe(true);
    expect(second.ok ? second.pipeline.steps[1]!.dependsOn : []).toEqual(['a']);
  });

  it('rejects incompatible types', () => {
    const result = connect(twoSteps(), { source: 'a', sourceHandle: 'out:files', target: 'b', targetHandle: 'in:flag' });

    expect(result).toEqual({
      ok: false,
      message:
        'Output `files` of `a` is artifact and cannot feed input `flag` of `b`, which is boolean. Connect a boolean output, or change the input type to string.',
    });
  });

  it('rejects a connection that closes a cycle', () => {
    const result = connect(fetchTrainReport(), {
      source: 'report',
      sourceHandle: 'order-out',
      target: 'fetch',
      targetHandle: 'order-in',
    });

    expect(result).toEqual({
      ok: false,
      message:
        'Connecting `report` to `fetch` would create a cycle (fetch → report → fetch); steps must not wait for each other in a loop.',
    });
  });

  it('rejects a step connected to itself', () => {
    const result = connect(twoSteps(), { source: 'a', sourceHandle: 'order-out', target: 'a', targetHandle: 'order-in' });

    expect(result).toEqual({ ok: false, message: 'Step `a` cannot be connected to itself.' });
  });

  it('rejects an output wired to an order handle', () => {
    const result = connect(twoSteps(), { source: 'a', sourceHandle: 'out:count', target: 'b', targetHandle: 'order-in' });

    expect(result).toEqual({
      ok: false,
      message: 'Connect an output to an input, or the order handle of one step to the order handle of another.',
    });
  });
});

describe('removeEdges', () => {
  it('unbinds inputs and removes dependsOn entries', () => {
    const pipeline = removeEdges(fetchTrainReport(), ['input:train.data', 'order:fetch>report']);

    expect(pipeline.steps[1]!.inputs).toEqual([{ name: 'data', type: 'artifact' }]);
    expect(pipeline.steps[2]!.dependsOn).toEqual([]);
    expect(pipeline.steps[2]!.inputs[0]!.from).toEqual({ step: 'train', output: 'model' });
  });
});

describe('pathBetween', () => {
  it('returns the shortest downstream path', () => {
    expect(pathBetween(fetchTrainReport(), 'fetch', 'report')).toEqual(['fetch', 'report']);
    expect(pathBetween(fetchTrainReport(), 'train', 'fetch')).toBeUndefined();
  });
});
