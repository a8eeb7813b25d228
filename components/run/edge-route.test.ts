import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';

import { bezierSamples, obstaclesInSpan, roundedPath, routeEdge, sameRects, type EdgeEnds } from './edge-route';

/** Left to right along y = 40, from a handle at x = 200 to one at x = 1000. */
const acrossRow: EdgeEnds = {
  source: { x: 200, y: 40 },
  sourcePosition: Position.Right,
  target: { x: 1000, y: 40 },
  targetPosition: Position.Left,
};

describe('routeEdge', () => {
  it('keeps the curve when nothing is in the way', () => {
    const route = routeEdge(acrossRow, [{ x: 500, y: 200, width: 200, height: 80 }]);

    expect(route).toEqual({ kind: 'direct' });
  });

  it('keeps the curve past a node it misses', () => {
    const ends: EdgeEnds = { source: { x: 0, y: 0 }, sourcePosition: Position.Right, target: { x: 400, y: 200 }, targetPosition: Position.Left };

    expect(routeEdge(ends, [{ x: 150, y: -150, width: 100, height: 60 }])).toEqual({ kind: 'direct' });
  });

  it('detours above a node in the same row', () => {
    const route = routeEdge(acrossRow, [{ x: 500, y: 0, width: 200, height: 80 }]);

    expect(route).toEqual({
      kind: 'detour',
      points: [
        { x: 200, y: 40 },
        { x: 224, y: 40 },
        { x: 224, y: -22 },
        { x: 976, y: -22 },
        { x: 976, y: 40 },
        { x: 1000, y: 40 },
      ],
      label: { x: 600, y: -22 },
    });
  });

  it('takes the shorter side when the lane above is blocked', () => {
    const inRow = { x: 500, y: 0, width: 200, height: 80 };
    const aboveRow = { x: 300, y: -100, width: 100, height: 90 };

    const route = routeEdge(acrossRow, [inRow, aboveRow]);

    expect(route.kind).toBe('detour');
    expect(route.kind === 'detour' ? route.label : null).toEqual({ x: 600, y: 102 });
  });

  it('moves the lane past every blocker on one side', () => {
    const inRow = { x: 500, y: 0, width: 200, height: 80 };
    const aboveRow = { x: 300, y: -100, width: 100, height: 90 };
    const belowRow = { x: 800, y: 90, width: 100, height: 400 };

    const route = routeEdge(acrossRow, [inRow, aboveRow, belowRow]);

    expect(route.kind === 'detour' ? route.label : null).toEqual({ x: 600, y: -122 });
  });

  it('detours sideways in a top-to-bottom graph', () => {
    const ends: EdgeEnds = { source: { x: 100, y: 80 }, sourcePosition: Position.Bottom, target: { x: 100, y: 500 }, targetPosition: Position.Top };

    const route = routeEdge(ends, [{ x: 0, y: 200, width: 200, height: 80 }]);

    expect(route).toEqual({
      kind: 'detour',
      points: [
        { x: 100, y: 80 },
        { x: 100, y: 104 },
        { x: -22, y: 104 },
        { x: -22, y: 476 },
        { x: 100, y: 476 },
        { x: 100, y: 500 },
      ],
      label: { x: -22, y: 290 },
    });
  });
});

describe('bezierSamples', () => {
  it('runs from source to target', () => {
    const samples = bezierSamples(acrossRow, 4);

    expect(samples).toHaveLength(5);
    expect(samples[0]).toEqual({ x: 200, y: 40 });
    expect(samples[2]).toEqual({ x: 600, y: 40 });
    expect(samples[4]).toEqual({ x: 1000, y: 40 });
  });
});

describe('obstaclesInSpan', () => {
  it('keeps nodes between the ends only', () => {
    const between = { x: 500, y: 300, width: 200, height: 80 };
    const beside = { x: 1100, y: 0, width: 200, height: 80 };
    const before = { x: -300, y: 0, width: 200, height: 80 };

    expect(obstaclesInSpan(acrossRow, [between, beside, before])).toEqual([between]);
  });
});

describe('sameRects', () => {
  it('compares boxes by value', () => {
    expect(sameRects([{ x: 1, y: 2, width: 3, height: 4 }], [{ x: 1, y: 2, width: 3, height: 4 }])).toBe(true);
    expect(sameRects([{ x: 1, y: 2, width: 3, height: 4 }], [{ x: 1, y: 2, width: 3, height: 5 }])).toBe(false);
    expect(sameRects([], [{ x: 1, y: 2, width: 3, height: 4 }])).toBe(false);
  });
});

describe('roundedPath', () => {
  it('rounds each corner', () => {
    expect(roundedPath([{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }], 10)).toBe('M 0 0 L 10 0 Q 20 0 20 10 L 20 20');
  });

  it('shrinks the radius on short segments', () => {
    expect(roundedPath([{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 10 }], 10)).toBe('M 0 0 L 2 0 Q 4 0 4 2 L 4 10');
  });
});
