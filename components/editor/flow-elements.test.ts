import { describe, expect, it } from 'vitest';

import { moveSteps } from './step-edits';
import { groupIssuesByStep, toFlowEdges, toFlowNodes, type NodeDataCache } from './flow-elements';
import { fetchTrainReport } from './test-pipelines';

describe('toFlowNodes', () => {
  it('marks selection and attaches problems', () => {
    const issues = groupIssuesByStep([
      { code: 'missing_image', stepId: 'train', field: 'image', message: 'no image' },
      { code: 'invalid_field', field: 'name', message: 'no name' },
    ]);

    const nodes = toFlowNodes(fetchTrainReport(), ['report'], new Map([['fetch', { width: 240, height: 90 }]]), issues);

    expect(nodes.map((node) => [node.id, node.selected, node.data.issues.length, node.measured])).toEqual([
      ['fetch', false, 0, { width: 240, height: 90 }],
      ['train', false, 1, undefined],
      ['report', true, 0, undefined],
    ]);
  });

  it('reuses data of unchanged steps', () => {
    const cache: NodeDataCache = new Map();
    const pipeline = fetchTrainReport();
    const before = toFlowNodes(pipeline, [], new Map(), new Map(), cache);

    const after = toFlowNodes(moveSteps(pipeline, new Map([['train', { x: 1, y: 1 }]])), [], new Map(), new Map(), cache);

    expect(after[0]!.data).toBe(before[0]!.data);
    expect(after[1]!.data).not.toBe(before[1]!.data);
    expect(after[1]!.data.step.position).toEqual({ x: 1, y: 1 });
  });
});

describe('toFlowEdges', () => {
  it('dashes order edges and labels data edges', () => {
    const edges = toFlowEdges(fetchTrainReport(), ['order:fetch>report']);

    expect(edges.map((edge) => [edge.id, edge.label, edge.selected, edge.style?.strokeDasharray])).toEqual([
      ['input:train.data', 'data', false, undefined],
      ['input:report.model', 'model', false, undefined],
      ['order:fetch>report', undefined, true, '6 4'],
    ]);
  });

  it('routes edges and backs their labels', () => {
    const edges = toFlowEdges(fetchTrainReport(), []);

    expect(edges.map((edge) => edge.type)).toEqual(['routed', 'routed', 'routed']);
    expect(edges[0]!.labelShowBg).toBe(true);
    expect(edges[0]!.labelBgPadding).toEqual([5, 3]);
    expect(edges[0]!.labelBgStyle).toEqual({ fill: '#f8fafc', stroke: '#e2e8f0' });
  });
});
