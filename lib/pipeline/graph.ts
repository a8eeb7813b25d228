/**
 * The step graph: which steps must finish before which. Edges come from data bindings
 * (`inputs[].from.step`) and from order-only `dependsOn` entries.
 *
 * Every function here is linear (or n log n) in steps plus edges, so pipelines of thousands of
 * steps validate while a person drags nodes in the editor.
 */
import { isStepOutputSource, type Pipeline } from './schema';

/** Adjacency lists keyed by step id, in pipeline order. */
export interface StepGraph {
  /** Step ids in pipeline order, first occurrence of each id only. */
  ids: string[];
  /** Steps each step waits for: sorted, unique, known steps only, no self-edges. */
  upstream: Map<string, string[]>;
  /** Steps that wait for each step: sorted, unique. */
  downstream: Map<string, string[]>;
}

/**
 * Builds the step graph. References to missing steps and to the step itself are left out:
 * validation reports them as `unknown_step` and `self_dependency`.
 */
export function buildStepGraph(pipeline: Pick<Pipeline, 'steps'>): StepGraph {
  const ids: string[] = [];
  const upstreamSets = new Map<string, Set<string>>();
  for (const step of pipeline.steps) {
    if (!upstreamSets.has(step.id)) {
      ids.push(step.id);
      upstreamSets.set(step.id, new Set());
    }
  }

  for (const step of pipeline.steps) {
    const upstream = upstreamSets.get(step.id)!;
    const addEdge = (from: string) => {
      if (from !== step.id && upstreamSets.has(from)) upstream.add(from);
    };
    for (const dependency of step.dependsOn ?? []) addEdge(dependency);
    for (const input of step.inputs ?? []) {
      if (isStepOutputSource(input.from)) addEdge(input.from.step);
    }
  }

  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    const sorted = [...upstreamSets.get(id)!].sort();
    upstream.set(id, sorted);
    for (const from of sorted) downstream.get(from)!.push(id);
  }
  for (const list of downstream.values()) list.sort();
  return { ids, upstream, downstream };
}

/**
 * Orders steps so each comes after all its upstream steps. Among steps that are ready at the
 * same time, the one earlier in the pipeline comes first, so the order is stable across calls.
 * Steps on or behind a cycle cannot be ordered and are returned in `blocked`, in pipeline order.
 */
export function topologicalOrder(graph: StepGraph): { order: string[]; blocked: string[] } {
  const position = new Map(graph.ids.map((id, index) => [id, index]));
  const waitingFor = new Map(graph.ids.map((id) => [id, graph.upstream.get(id)!.length]));
  const ready = new MinHeap<number>((a, b) => a - b);
  for (const [id, count] of waitingFor) if (count === 0) ready.push(position.get(id)!);

  const order: string[] = [];
  while (ready.size > 0) {
    const id = graph.ids[ready.pop()!]!;
    order.push(id);
    for (const next of graph.downstream.get(id)!) {
      const remaining = waitingFor.get(next)! - 1;
      waitingFor.set(next, remaining);
      if (remaining === 0) ready.push(position.get(next)!);
    }
  }

  const ordered = new Set(order);
  return { order, blocked: graph.ids.filter((id) => !ordered.has(id)) };
}

/**
 * Finds the cycles in the graph: one per strongly connected component with more than one step.
 * Each cycle is listed in the direction data flows, starting and ending at the component's
 * first step in pipeline order, e.g. `['a', 'b', 'c', 'a']`. A component that contains several
 * loops is reported by one shortest loop through that step; breaking it may reveal another.
 */
export function findCycles(graph: StepGraph): string[][] {
  const components = stronglyConnectedComponents(graph).filter((component) => component.length > 1);
  const position = new Map(graph.ids.map((id, index) => [id, index]));
  const cycles = components.map((component) => {
    const members = new Set(component);
    const start = component.reduce((first, id) => (position.get(id)! < position.get(first)! ? id : first));
    return shortestLoop(graph, start, members);
  });
  return cycles.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!);
}

/** Returns every step that must finish before `stepId` can start, directly or transitively, sorted. */
export function upstreamOf(graph: StepGraph, stepId: string): string[] {
  return reachable(graph.upstream, stepId);
}

/** Returns every step that waits for `stepId`, directly or transitively, sorted. */
export function downstreamOf(graph: StepGraph, stepId: string): string[] {
  return reachable(graph.downstream, stepId);
}

function reachable(edges: Map<string, string[]>, start: string): string[] {
  const seen = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of edges.get(id) ?? []) if (!seen.has(next)) stack.push(next);
  }
  seen.delete(start);
  return [...seen].sort();
}

/** Breadth-first search for the shortest path from `start` back to itself inside one component. */
function shortestLoop(graph: StepGraph, start: string, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const next of graph.downstream.get(id)!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const backwards: string[] = [];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = previous.get(at)) backwards.push(at);
        return [start, ...backwards.reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, id);
        queue.push(next);
      }
    }
  }
  // Unreachable for a strongly connected component of two or more steps.
  return [start, start];
}

/**
 * Tarjan's algorithm, iterative so a chain of thousands of steps cannot overflow the call stack.
 * Components come out in reverse topological order; callers sort them as they need.
 */
function stronglyConnectedComponents(graph: StepGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of graph.ids) {
    if (index.has(root)) continue;
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    lowLink.set(root, counter);
    counter++;
    stack.push(root);
    onStack.add(root);

    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const successors = graph.downstream.get(frame.id)!;
      if (frame.next < successors.length) {
        const next = successors[frame.next++]!;
        if (!index.has(next)) {
          index.set(next, counter);
          lowLink.set(next, counter);
          counter++;
          stack.push(next);
          onStack.add(next);
          frames.push({ id: next, next: 0 });
        } else if (onStack.has(next)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, index.get(next)!));
        }
        continue;
      }

      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lowLink.set(parent.id, Math.min(lowLink.get(parent.id)!, lowLink.get(frame.id)!));
      if (lowLink.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/** A binary min-heap; enough for the ready queue of a topological sort. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.compare(items[child]!, items[parent]!) >= 0) break;
      [items[child], items[parent]] = [items[parent]!, items[child]!];
      child = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < items.length && this.compare(items[left]!, items[smallest]!) < 0) smallest = left;
      if (right < items.length && this.compare(items[right]!, items[smallest]!) < 0) smallest = right;
      if (smallest === parent) break;
      [items[parent], items[smallest]] = [items[smallest]!, items[parent]!];
      parent = smallest;
    }
    return top;
  }
}
