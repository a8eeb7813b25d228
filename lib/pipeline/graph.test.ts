import { describe, expect, it } from 'vitest';

import { buildStepGraph, downstreamOf, findCycles, topologicalOrder, upstreamOf } from './graph';
import { pipelineSchema, type StepInput } from './schema';

function step(id: string, extra: Partial<StepInput> = {}): StepInput {
  return { id, name: id, image: 'alpine', command: ['true'], ...extra };
}

function graphOf(steps: StepInput[]) {
  return buildStepGraph(pipelineSchema.parse({ name: 'p', steps }));
}

/** Builds a step that reads output `out` of each listed step. */
function reads(id: string, ...from: string[]): StepInput {
  return step(id, {
    inputs: from.map((upstream, index) => ({ name: `in${index}`, type: 'string', from: { step: upstream, output: 'out' } })),
    outputs: [{ name: 'out', type: 'string' }],
  });
}

describe('buildStepGraph', () => {
  it('merges data and order edges, sorted and unique', () => {
    const graph = graphOf([
      reads('c', 'b', 'a'),
      step('a', { outputs: [{ name: 'out', type: 'string' }] }),
      step('b', { dependsOn: ['a'], outputs: [{ name: 'out', type: 'string' }] }),
      step('d', { dependsOn: ['c', 'b', 'c'] }),
    ]);

    expect(graph.ids).toEqual(['c', 'a', 'b', 'd']);
    expect(graph.upstream.get('c')).toEqual(['a', 'b']);
    expect(graph.upstream.get('d')).toEqual(['b', 'c']);
    expect(graph.downstream.get('a')).toEqual(['b', 'c']);
    expect(graph.downstream.get('b')).toEqual(['c', 'd']);
  });

  it('leaves out missing steps and self edges', () => {
    const graph = graphOf([step('a', { dependsOn: ['a', 'ghost'] })]);
    expect(graph.upstream.get('a')).toEqual([]);
  });
});

describe('topologicalOrder', () => {
  it('orders upstream first, ties in pipeline order', () => {
    const graph = graphOf([
      step('deploy', { dependsOn: ['train', 'test'] }),
      step('test', { dependsOn: ['prep'] }),
      step('train', { dependsOn: ['prep'] }),
      step('prep'),
      step('lint'),
    ]);
    expect(topologicalOrder(graph)).toEqual({ order: ['prep', 'test', 'train', 'deploy', 'lint'], blocked: [] });
  });

  it('returns steps on and behind a cycle as blocked', () => {
    const graph = graphOf([step('a', { dependsOn: ['b'] }), step('b', { dependsOn: ['a'] }), step('c', { dependsOn: ['b'] }), step('d')]);
    expect(topologicalOrder(graph)).toEqual({ order: ['d'], blocked: ['a', 'b', 'c'] });
  });

  it('orders a 2000-step chain listed backwards', () => {
    const steps = Array.from({ length: 2000 }, (_, index) => step(`s${1999 - index}`, index === 1999 ? {} : { dependsOn: [`s${1998 - index}`] }));
    const { order, blocked } = topologicalOrder(graphOf(steps));
    expect(blocked).toEqual([]);
    expect(order).toHaveLength(2000);
    expect(order[0]).toBe('s0');
    expect(order[1999]).toBe('s1999');
  });
});

describe('findCycles', () => {
  it('names the steps of each cycle in data-flow order', () => {
    const graph = graphOf([reads('a', 'c'), reads('b', 'a'), step('c', { dependsOn: ['b'], outputs: [{ name: 'out', type: 'string' }] })]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('reports one cycle per strongly connected component', () => {
    const graph = graphOf([
      step('x', { dependsOn: ['y'] }),
      step('y', { dependsOn: ['x'] }),
      step('free'),
      step('p', { dependsOn: ['r'] }),
      step('q', { dependsOn: ['p'] }),
      step('r', { dependsOn: ['q', 'free'] }),
    ]);
    expect(findCycles(graph)).toEqual([
      ['x', 'y', 'x'],
      ['p', 'q', 'r', 'p'],
    ]);
  });

  it('finds the shortest loop through the first step', () => {
    // a → b → a and a → c → d → a share step a, so they form one component.
    const graph = graphOf([
      step('a', { dependsOn: ['d', 'b'] }),
      step('b', { dependsOn: ['a'] }),
      step('c', { dependsOn: ['a'] }),
      step('d', { dependsOn: ['c'] }),
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'a']]);
  });

  it('finds none in a DAG', () => {
    expect(findCycles(graphOf([step('a'), step('b', { dependsOn: ['a'] })]))).toEqual([]);
  });

  it('handles a 2000-step ring without overflowing the stack', () => {
    const steps = Array.from({ length: 2000 }, (_, index) => step(`s${index}`, { dependsOn: [`s${(index + 1999) % 2000}`] }));
    const cycles = findCycles(graphOf(steps));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(2001);
    expect(cycles[0]!.slice(0, 3)).toEqual(['s0', 's1', 's2']);
    expect(cycles[0]!.at(-1)).toBe('s0');
  });
});

describe('upstreamOf and downstreamOf', () => {
  const graph = graphOf([
    step('prep'),
    step('train', { dependsOn: ['prep'] }),
    step('eval', { dependsOn: ['train'] }),
    step('report', { dependsOn: ['eval', 'prep'] }),
    step('other'),
  ]);

  it('lists transitive upstream steps', () => {
    expect(upstreamOf(graph, 'report')).toEqual(['eval', 'prep', 'train']);
    expect(upstreamOf(graph, 'prep')).toEqual([]);
  });

  it('lists transitive downstream steps', () => {
    expect(downstreamOf(graph, 'train')).toEqual(['eval', 'report']);
    expect(downstreamOf(graph, 'other')).toEqual([]);
  });
});
