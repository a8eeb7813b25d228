import { describe, expect, it } from 'vitest';

import { pipelineSchema, type Pipeline, type StepInput } from '@/lib/pipeline/schema';

import { graphDirection, hasUsablePositions, layeredPositions } from './run-layout';

function step(id: string, x: number, y: number, dependsOn: string[] = []): StepInput {
  return { id, name: id, image: 'alpine', command: ['true'], position: { x, y }, dependsOn };
}

function pipelineOf(steps: StepInput[]): Pipeline {
  return pipelineSchema.parse({ name: 'test', steps });
}

function layered(steps: StepInput[]) {
  return Object.fromEntries(layeredPositions(pipelineOf(steps)));
}

describe('hasUsablePositions', () => {
  it('accepts distinct positions', () => {
    expect(hasUsablePositions(pipelineOf([step('a', 0, 0), step('b', 260, 0)]))).toBe(true);
  });

  it('rejects steps stacked on one spot', () => {
    expect(hasUsablePositions(pipelineOf([step('a', 0, 0), step('b', 0, 0)]))).toBe(false);
  });
});

describe('layeredPositions', () => {
  it('places a step one layer after its deepest upstream step', () => {
    expect(layered([step('a', 0, 0), step('b', 0, 0, ['a']), step('c', 0, 0, ['a', 'b'])])).toEqual({
      a: { x: 0, y: 0 },
      b: { x: 280, y: 0 },
      c: { x: 560, y: 0 },
    });
  });

  it('stacks independent steps in pipeline order', () => {
    expect(layered([step('x', 0, 0), step('y', 0, 0), step('z', 0, 0)])).toEqual({
      x: { x: 0, y: 0 },
      y: { x: 0, y: 110 },
      z: { x: 0, y: 220 },
    });
  });

  it('puts steps on a cycle in a last layer', () => {
    expect(layered([step('a', 0, 0), step('b', 0, 0, ['c']), step('c', 0, 0, ['b'])])).toEqual({
      a: { x: 0, y: 0 },
      b: { x: 280, y: 0 },
      c: { x: 280, y: 110 },
    });
  });
});

describe('graphDirection', () => {
  const positions = new Map([
    ['a', { x: 0, y: 0 }],
    ['b', { x: 300, y: 50 }],
    ['c', { x: 20, y: 300 }],
  ]);

  it('is horizontal when edges point right', () => {
    expect(graphDirection([{ source: 'a', target: 'b' }], positions)).toBe('horizontal');
  });

  it('is vertical when edges point down', () => {
    expect(graphDirection([{ source: 'a', target: 'c' }], positions)).toBe('vertical');
  });

  it('is horizontal without edges', () => {
    expect(graphDirection([], positions)).toBe('horizontal');
  });
});
