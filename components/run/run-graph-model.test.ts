import { describe, expect, it } from 'vitest';

import type { StepRunRecord } from '@/lib/engine/types';
import { pipelineSchema, type Pipeline, type StepInput } from '@/lib/pipeline/schema';

import { buildRunGraph, keepUnchangedNodes } from './run-graph-model';

function pipelineOf(steps: StepInput[]): Pipeline {
  return pipelineSchema.parse({ name: 'test', steps });
}

function step(id: string, extra: Partial<StepInput> = {}): StepInput {
  return { id, name: id.toUpperCase(), image: 'alpine', command: ['true'], ...extra };
}

function record(stepId: string, status: StepRunRecord['status'], extra: Partial<StepRunRecord> = {}): StepRunRecord {
  return {
    runId: 'run-1',
    stepId,
    name: stepId,
    status,
    reason: null,
    message: null,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    inputs: {},
    outputs: {},
    attempts: [],
    ...extra,
  };
}

const chain = pipelineOf([
  step('ingest', { position: { x: 0, y: 0 }, outputs: [{ name: 'raw', type: 'artifact' }] }),
  step('clean', {
    position: { x: 260, y: 0 },
    inputs: [{ name: 'raw', type: 'artifact', from: { step: 'ingest', output: 'raw' } }],
    outputs: [
      { name: 'data', type: 'artifact' },
      { name: 'rows', type: 'number' },
    ],
  }),
  step('train', {
    position: { x: 520, y: 0 },
    inputs: [
      { name: 'data', type: 'artifact', from: { step: 'clean', output: 'data' } },
      { name: 'rows', type: 'number', from: { step: 'clean', output: 'rows' } },
    ],
    dependsOn: ['clean'],
  }),
  step('report', { position: { x: 520, y: 120 }, dependsOn: ['ingest', 'missing'] }),
]);

describe('buildRunGraph', () => {
  it('gives each step a node with its status and saved position', () => {
    const graph = buildRunGraph(chain, [
      record('ingest', 'succeeded', { startedAt: '2024-05-01T12:00:00Z', finishedAt: '2024-05-01T12:00:02Z' }),
      record('clean', 'running', { startedAt: '2024-05-01T12:00:02Z' }),
    ]);

    expect(graph.nodes.map((node) => [node.id, node.position, node.data.status])).toEqual([
      ['ingest', { x: 0, y: 0 }, 'succeeded'],
      ['clean', { x: 260, y: 0 }, 'running'],
      ['train', { x: 520, y: 0 }, 'pending'],
      ['report', { x: 520, y: 120 }, 'pending'],
    ]);
    expect(graph.nodes[0]?.data).toEqual({
      stepId: 'ingest',
      name: 'INGEST',
      status: 'succeeded',
      reason: null,
      startedAt: '2024-05-01T12:00:00Z',
      finishedAt: '2024-05-01T12:00:02Z',
      attemptCount: 0,
    });
  });

  it('exposes the status as aria-label and data-status', () => {
    const graph = buildRunGraph(chain, [record('ingest', 'failed', { reason: 'Error' })]);

    expect(graph.nodes[0]?.ariaLabel).toBe('Step INGEST: failed');
    expect(graph.nodes[0]?.domAttributes).toEqual({ 'data-status': 'failed' });
    expect(graph.nodes[0]?.data.reason).toBe('Error');
  });

  it('draws one edge per step pair from bindings and dependsOn', () => {
    const graph = buildRunGraph(chain, []);

    expect(graph.edges.map((edge) => [edge.id, edge.label, edge.data?.outputs])).toEqual([
      ['ingest->clean', 'raw', ['raw']],
      ['clean->train', 'data, rows', ['data', 'rows']],
      ['ingest->report', undefined, []],
    ]);
  });

  it('routes edges and backs their labels', () => {
    const graph = buildRunGraph(chain, []);
    const data = graph.edges.find((edge) => edge.id === 'ingest->clean');

    expect(graph.edges.map((edge) => edge.type)).toEqual(['routed', 'routed', 'routed']);
    expect(data?.labelShowBg).toBe(true);
    expect(data?.labelBgPadding).toEqual([5, 3]);
    expect(data?.labelBgStyle).toEqual({ fill: '#f8fafc', stroke: '#e2e8f0' });
  });

  it('dashes order-only edges', () => {
    const graph = buildRunGraph(chain, []);
    const orderOnly = graph.edges.find((edge) => edge.id === 'ingest->report');
    const data = graph.edges.find((edge) => edge.id === 'ingest->clean');

    expect(orderOnly?.style?.strokeDasharray).toBe('6 4');
    expect(data?.style?.strokeDasharray).toBeUndefined();
  });

  it('animates edges into a running step', () => {
    const graph = buildRunGraph(chain, [record('ingest', 'succeeded'), record('clean', 'running')]);

    expect(graph.edges.map((edge) => [edge.id, edge.animated])).toEqual([
      ['ingest->clean', true],
      ['clean->train', false],
      ['ingest->report', false],
    ]);
  });

  it('puts handles left and right when data flows to the right', () => {
    const graph = buildRunGraph(chain, []);

    expect(graph.nodes[0]?.sourcePosition).toBe('right');
    expect(graph.nodes[0]?.targetPosition).toBe('left');
  });

  it('puts handles top and bottom when data flows down', () => {
    const vertical = pipelineOf([
      step('a', { position: { x: 0, y: 0 } }),
      step('b', { position: { x: 10, y: 200 }, dependsOn: ['a'] }),
    ]);
    const graph = buildRunGraph(vertical, []);

    expect(graph.nodes[1]?.sourcePosition).toBe('bottom');
    expect(graph.nodes[1]?.targetPosition).toBe('top');
  });

  it('lays out steps in layers when positions are missing', () => {
    const unplaced = pipelineOf([
      step('a'),
      step('b', { dependsOn: ['a'] }),
      step('c', { dependsOn: ['a'] }),
      step('d', { dependsOn: ['b', 'c'] }),
    ]);
    const graph = buildRunGraph(unplaced, []);

    expect(graph.nodes.map((node) => [node.id, node.position])).toEqual([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 280, y: 0 }],
      ['c', { x: 280, y: 110 }],
      ['d', { x: 560, y: 0 }],
    ]);
  });
});

describe('keepUnchangedNodes', () => {
  it('reuses nodes whose step did not change', () => {
    const before = buildRunGraph(chain, [record('ingest', 'running'), record('clean', 'pending')]).nodes;
    const after = buildRunGraph(chain, [record('ingest', 'succeeded'), record('clean', 'pending')]).nodes;

    const kept = keepUnchangedNodes(before, after);

    expect(kept[0]).toBe(after[0]);
    expect(kept[0]?.data.status).toBe('succeeded');
    expect(kept[1]).toBe(before[1]);
    expect(kept[2]).toBe(before[2]);
    expect(kept[3]).toBe(before[3]);
  });

  it('replaces a node whose selection changed', () => {
    const before = buildRunGraph(chain, []).nodes;
    const after = before.map((node) => (node.id === 'clean' ? { ...node, selected: true } : node));

    const kept = keepUnchangedNodes(before, after);

    expect(kept[1]).toBe(after[1]);
    expect(kept[1]?.selected).toBe(true);
    expect(kept[0]).toBe(before[0]);
  });
});
