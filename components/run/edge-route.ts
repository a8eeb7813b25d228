/**
 * Routes a graph edge so it never runs hidden behind a node. An edge keeps React Flow's bezier
 * curve when that curve crosses no other node. Otherwise it becomes an orthogonal path with rounded
 * corners that leaves its source, runs in a lane above or below the nodes in the way, and enters
 * its target. React Flow draws edges beneath nodes, so a curve through a node would be invisible.
 */
import { Position } from '@xyflow/react';

export interface Point {
  x: number;
  y: number;
}

/** A node's box on the canvas, in flow coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The two ends of an edge: handle points and the sides of their nodes they sit on. */
export interface EdgeEnds {
  source: Point;
  sourcePosition: Position;
  target: Point;
  targetPosition: Position;
}

/** How an edge is drawn: React Flow's bezier curve, or a detour through `points` with its label at `label`. */
export type EdgeRoute = { kind: 'direct' } | { kind: 'detour'; points: Point[]; label: Point };

/** Room kept between an edge and a node it passes, in pixels. */
const CLEARANCE = 6;
/** Distance a detour runs straight out of its source and into its target before turning, in pixels. */
const STUB = 24;
/** Distance between a detour's lane and the nearest node edge it passes, in pixels. */
const LANE_GAP = 22;
/** Points checked along the bezier curve; enough that no node of 40 px or more slips between two. */
const CURVE_SAMPLES = 32;
/** React Flow's default bezier curvature (`getBezierPath`, @xyflow/system 0.0.x). */
const CURVATURE = 0.25;

function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}

/** Returns the control point React Flow's `getBezierPath` puts beside `from` for a handle on `side`. */
function bezierControl(side: Position, from: Point, to: Point): Point {
  switch (side) {
    case Position.Left:
      return { x: from.x - controlOffset(from.x - to.x), y: from.y };
    case Position.Right:
      return { x: from.x + controlOffset(to.x - from.x), y: from.y };
    case Position.Top:
      return { x: from.x, y: from.y - controlOffset(from.y - to.y) };
    case Position.Bottom:
      return { x: from.x, y: from.y + controlOffset(to.y - from.y) };
  }
}

/** Returns points along the bezier curve React Flow draws between the two ends. */
export function bezierSamples(ends: EdgeEnds, count: number = CURVE_SAMPLES): Point[] {
  const p0 = ends.source;
  const p1 = bezierControl(ends.sourcePosition, ends.source, ends.target);
  const p2 = bezierControl(ends.targetPosition, ends.target, ends.source);
  const p3 = ends.target;

  const samples: Point[] = [];
  for (let index = 0; index <= count; index++) {
    const t = index / count;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    samples.push({ x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y });
  }
  return samples;
}

function contains(rect: Rect, point: Point, margin: number): boolean {
  return (
    point.x > rect.x - margin &&
    point.x < rect.x + rect.width + margin &&
    point.y > rect.y - margin &&
    point.y < rect.y + rect.height + margin
  );
}

/** Returns true when the horizontal segment from x1 to x2 at height y passes through `rect` (with clearance). */
function crossesHorizontally(rect: Rect, x1: number, x2: number, y: number): boolean {
  const left = Math.min(x1, x2);
  const right = Math.max(x1, x2);
  return (
    right > rect.x - CLEARANCE &&
    left < rect.x + rect.width + CLEARANCE &&
    y > rect.y - CLEARANCE &&
    y < rect.y + rect.height + CLEARANCE
  );
}

/**
 * Moves a lane past every obstacle it crosses, upwards or downwards, until it crosses none. Each
 * move clears at least one more obstacle, so it ends within `obstacles.length` moves.
 */
function settleLane(start: number, direction: 'up' | 'down', x1: number, x2: number, obstacles: readonly Rect[]): number {
  let lane = start;
  for (let round = 0; round <= obstacles.length; round++) {
    const blockers = obstacles.filter((rect) => crossesHorizontally(rect, x1, x2, lane));
    if (blockers.length === 0) return lane;
    lane =
      direction === 'up'
        ? Math.min(...blockers.map((rect) => rect.y)) - LANE_GAP
        : Math.max(...blockers.map((rect) => rect.y + rect.height)) + LANE_GAP;
  }
  return lane;
}

function stubX(point: Point, side: Position): number {
  return side === Position.Left ? point.x - STUB : point.x + STUB;
}

/** Routes an edge whose handles sit on the left or right sides of their nodes. */
function routeHorizontal(ends: EdgeEnds, obstacles: readonly Rect[]): EdgeRoute {
  const samples = bezierSamples(ends);
  const hit = obstacles.filter((rect) => samples.some((point) => contains(rect, point, CLEARANCE)));
  if (hit.length === 0) return { kind: 'direct' };

  const { source, target } = ends;
  const x1 = stubX(source, ends.sourcePosition);
  const x2 = stubX(target, ends.targetPosition);
  const above = settleLane(Math.min(...hit.map((rect) => rect.y)) - LANE_GAP, 'up', x1, x2, obstacles);
  const below = settleLane(Math.max(...hit.map((rect) => rect.y + rect.height)) + LANE_GAP, 'down', x1, x2, obstacles);
  const climb = (lane: number) => Math.abs(lane - source.y) + Math.abs(lane - target.y);
  const lane = climb(above) <= climb(below) ? above : below;

  return {
    kind: 'detour',
    points: [source, { x: x1, y: source.y }, { x: x1, y: lane }, { x: x2, y: lane }, { x: x2, y: target.y }, target],
    label: { x: (x1 + x2) / 2, y: lane },
  };
}

const transposedSide: Record<Position, Position> = {
  [Position.Top]: Position.Left,
  [Position.Bottom]: Position.Right,
  [Position.Left]: Position.Top,
  [Position.Right]: Position.Bottom,
};

const transposePoint = (point: Point): Point => ({ x: point.y, y: point.x });
const transposeRect = (rect: Rect): Rect => ({ x: rect.y, y: rect.x, width: rect.height, height: rect.width });

function isVertical(side: Position): boolean {
  return side === Position.Top || side === Position.Bottom;
}

/**
 * Decides how to draw an edge among `obstacles`, the boxes of every node except its own source
 * and target. Edges leaving the top or bottom of a node are routed the same way with x and y
 * swapped.
 *
 * NOTE: only the lane is checked against nodes; the short stubs and the climbs to the lane are
 * assumed clear, which holds unless nodes sit within `STUB` pixels of each other.
 */
export function routeEdge(ends: EdgeEnds, obstacles: readonly Rect[]): EdgeRoute {
  if (!isVertical(ends.sourcePosition)) return routeHorizontal(ends, obstacles);

  const route = routeHorizontal(
    {
      source: transposePoint(ends.source),
      sourcePosition: transposedSide[ends.sourcePosition],
      target: transposePoint(ends.target),
      targetPosition: transposedSide[ends.targetPosition],
    },
    obstacles.map(transposeRect),
  );
  if (route.kind === 'direct') return route;
  return { kind: 'detour', points: route.points.map(transposePoint), label: transposePoint(route.label) };
}

/**
 * Returns the boxes of the nodes an edge between these ends could pass: those overlapping the span
 * between source and target along the flow, widened by the stubs. Nodes outside it cannot be in
 * the way of either the curve or a lane.
 */
export function obstaclesInSpan(ends: EdgeEnds, rects: Iterable<Rect>): Rect[] {
  const vertical = isVertical(ends.sourcePosition);
  const start = vertical ? Math.min(ends.source.y, ends.target.y) : Math.min(ends.source.x, ends.target.x);
  const end = vertical ? Math.max(ends.source.y, ends.target.y) : Math.max(ends.source.x, ends.target.x);

  const inSpan: Rect[] = [];
  for (const rect of rects) {
    const rectStart = vertical ? rect.y : rect.x;
    const rectEnd = rectStart + (vertical ? rect.height : rect.width);
    if (rectEnd > start - STUB - CLEARANCE && rectStart < end + STUB + CLEARANCE) inSpan.push(rect);
  }
  return inSpan;
}

/** Returns true when both lists hold the same boxes in the same order. */
export function sameRects(a: readonly Rect[], b: readonly Rect[]): boolean {
  return (
    a.length === b.length &&
    a.every((rect, index) => {
      const other = b[index]!;
      return rect.x === other.x && rect.y === other.y && rect.width === other.width && rect.height === other.height;
    })
  );
}

/**
 * Builds an SVG path through `points` with corners rounded to `radius` (less where a segment is too
 * short for it), as React Flow's smoothstep edges draw them.
 */
export function roundedPath(points: readonly Point[], radius: number): string {
  const [first, ...rest] = points;
  if (!first) return '';

  const commands = [`M ${first.x} ${first.y}`];
  for (let index = 1; index < points.length - 1; index++) {
    const previous = points[index - 1]!;
    const corner = points[index]!;
    const next = points[index + 1]!;
    const lengthIn = Math.hypot(corner.x - previous.x, corner.y - previous.y);
    const lengthOut = Math.hypot(next.x - corner.x, next.y - corner.y);
    const bend = Math.min(radius, lengthIn / 2, lengthOut / 2);
    if (bend === 0) {
      commands.push(`L ${corner.x} ${corner.y}`);
      continue;
    }
    const before = { x: corner.x - ((corner.x - previous.x) / lengthIn) * bend, y: corner.y - ((corner.y - previous.y) / lengthIn) * bend };
    const after = { x: corner.x + ((next.x - corner.x) / lengthOut) * bend, y: corner.y + ((next.y - corner.y) / lengthOut) * bend };
    commands.push(`L ${before.x} ${before.y}`, `Q ${corner.x} ${corner.y} ${after.x} ${after.y}`);
  }
  const last = rest.at(-1);
  if (last) commands.push(`L ${last.x} ${last.y}`);
  return commands.join(' ');
}
