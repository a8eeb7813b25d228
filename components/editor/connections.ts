/**
 * Edges of the editor canvas and the edits behind them. A data edge is an input bound to an upstream
 * output (`inputs[].from = {step, output}`); an order edge is a `dependsOn` entry. Both are derived
 * from the pipeline, so the pipeline stays the one source of truth.
 */
import { buildStepGraph } from '@/lib/pipeline/graph';
import { isStepOutputSource, type InputPort, type Pipeline, type Step } from '@/lib/pipeline/schema';
import { canFeed } from '@/lib/pipeline/validate';

import { applyPatch } from './patch';

/** Handle id of the order input on the left of every node. */
export const ORDER_TARGET_HANDLE = 'order-in';
/** Handle id of the order output on the right of every node. */
export const ORDER_SOURCE_HANDLE = 'order-out';

/** Returns the handle id of an input port, e.g. `in:data`. */
export function inputHandleId(inputName: string): string {
  return `in:${inputName}`;
}

/** Returns the handle id of an output port, e.g. `out:model`. */
export function outputHandleId(outputName: string): string {
  return `out:${outputName}`;
}

/** A connection as the canvas reports it when a person drops a wire on a handle. */
export interface StepConnection {
  source: string;
  sourceHandle: string | null | undefined;
  target: string;
  targetHandle: string | null | undefined;
}

/** One edge of the canvas, before it becomes a React Flow edge. */
export interface StepEdge {
  id: string;
  kind: 'data' | 'order';
  source: string;
  target: string;
  sourceHandle: string;
  targetHandle: string;
  /** For data edges, the output that feeds the input, e.g. `model → data`. */
  label?: string;
}

/** Returns the edge id of the binding of one input, e.g. `input:train.data`. */
export function dataEdgeId(stepId: string, inputName: string): string {
  return `input:${stepId}.${inputName}`;
}

/** Returns the edge id of one dependsOn entry, e.g. `order:fetch>train`. */
export function orderEdgeId(upstreamId: string, downstreamId: string): string {
  return `order:${upstreamId}>${downstreamId}`;
}

/** What an edge id refers to; step ids and port names never contain `:`, `.` or `>`. */
export type ParsedEdgeId =
  | { kind: 'data'; stepId: string; inputName: string }
  | { kind: 'order'; upstreamId: string; downstreamId: string };

/** Parses an edge id made by `dataEdgeId` or `orderEdgeId`; returns undefined for any other text. */
export function parseEdgeId(edgeId: string): ParsedEdgeId | undefined {
  if (edgeId.startsWith('input:')) {
    const rest = edgeId.slice('input:'.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) return undefined;
    return { kind: 'data', stepId: rest.slice(0, dot), inputName: rest.slice(dot + 1) };
  }
  if (edgeId.startsWith('order:')) {
    const [upstreamId, downstreamId, ...extra] = edgeId.slice('order:'.length).split('>');
    if (!upstreamId || !downstreamId || extra.length > 0) return undefined;
    return { kind: 'order', upstreamId, downstreamId };
  }
  return undefined;
}

/**
 * Lists the edges to draw. Bindings to a missing step or output, and references of a step to itself,
 * are left out: they have no handle to attach to, and validation lists them as problems.
 */
export function listStepEdges(pipeline: Pipeline): StepEdge[] {
  const stepsById = new Map(pipeline.steps.map((step) => [step.id, step]));
  const edges: StepEdge[] = [];

  for (const step of pipeline.steps) {
    for (const input of step.inputs) {
      const source = input.from;
      if (!isStepOutputSource(source) || source.step === step.id) continue;
      const upstream = stepsById.get(source.step);
      if (!upstream?.outputs.some((output) => output.name === source.output)) continue;
      edges.push({
        id: dataEdgeId(step.id, input.name),
        kind: 'data',
        source: source.step,
        target: step.id,
        sourceHandle: outputHandleId(source.output),
        targetHandle: inputHandleId(input.name),
        label: source.output === input.name ? source.output : `${source.output} → ${input.name}`,
      });
    }
    for (const upstreamId of new Set(step.dependsOn)) {
      if (upstreamId === step.id || !stepsById.has(upstreamId)) continue;
      edges.push({
        id: orderEdgeId(upstreamId, step.id),
        kind: 'order',
        source: upstreamId,
        target: step.id,
        sourceHandle: ORDER_SOURCE_HANDLE,
        targetHandle: ORDER_TARGET_HANDLE,
      });
    }
  }
  return edges;
}

/** The pipeline after an edit, or why the edit was rejected. */
export type EditResult = { ok: true; pipeline: Pipeline } | { ok: false; message: string };

/**
 * Applies a connection drawn on the canvas: output → input binds the input (replacing an earlier
 * binding), order → order adds a dependsOn entry. Rejects a connection of mismatched handles,
 * incompatible port types (see `canFeed`), or one that would close a cycle.
 */
export function connect(pipeline: Pipeline, connection: StepConnection): EditResult {
  const upstream = pipeline.steps.find((step) => step.id === connection.source);
  const downstream = pipeline.steps.find((step) => step.id === connection.target);
  if (!upstream || !downstream) {
    return { ok: false, message: `Step \`${upstream ? connection.target : connection.source}\` no longer exists.` };
  }
  if (upstream.id === downstream.id) {
    return { ok: false, message: `Step \`${upstream.id}\` cannot be connected to itself.` };
  }

  const sourceHandle = connection.sourceHandle ?? '';
  const targetHandle = connection.targetHandle ?? '';
  const isOrder = sourceHandle === ORDER_SOURCE_HANDLE && targetHandle === ORDER_TARGET_HANDLE;
  const isData = sourceHandle.startsWith('out:') && targetHandle.startsWith('in:');
  if (!isOrder && !isData) {
    return {
      ok: false,
      message: 'Connect an output to an input, or the order handle of one step to the order handle of another.',
    };
  }

  const loop = pathBetween(pipeline, downstream.id, upstream.id);
  if (loop) {
    return {
      ok: false,
      message: `Connecting \`${upstream.id}\` to \`${downstream.id}\` would create a cycle (${[...loop, downstream.id].join(' → ')}); steps must not wait for each other in a loop.`,
    };
  }

  if (isOrder) return { ok: true, pipeline: addDependency(pipeline, upstream.id, downstream.id) };
  return bindInput(pipeline, upstream, downstream, sourceHandle.slice('out:'.length), targetHandle.slice('in:'.length));
}

function addDependency(pipeline: Pipeline, upstreamId: string, downstreamId: string): Pipeline {
  return mapStep(pipeline, downstreamId, (step) =>
    step.dependsOn.includes(upstreamId) ? step : { ...step, dependsOn: [...step.dependsOn, upstreamId] },
  );
}

function bindInput(pipeline: Pipeline, upstream: Step, downstream: Step, outputName: string, inputName: string): EditResult {
  const output = upstream.outputs.find((candidate) => candidate.name === outputName);
  const input = downstream.inputs.find((candidate) => candidate.name === inputName);
  if (!output) return { ok: false, message: `Step \`${upstream.id}\` has no output \`${outputName}\`.` };
  if (!input) return { ok: false, message: `Step \`${downstream.id}\` has no input \`${inputName}\`.` };

  if (!canFeed(output.type, input.type)) {
    return {
      ok: false,
      message: `Output \`${output.name}\` of \`${upstream.id}\` is ${output.type} and cannot feed input \`${input.name}\` of \`${downstream.id}\`, which is ${input.type}. ${feedHint(input.type)}`,
    };
  }

  const from = { step: upstream.id, output: output.name };
  return {
    ok: true,
    pipeline: mapStep(pipeline, downstream.id, (step) => ({
      ...step,
      inputs: step.inputs.map((candidate) => (candidate.name === inputName ? { ...candidate, from } : candidate)),
    })),
  };
}

function feedHint(inputType: string): string {
  if (inputType === 'artifact') return 'An artifact input takes only an artifact output.';
  if (inputType === 'json') return 'A json input takes a json, number or boolean output.';
  return `Connect a ${inputType} output, or change the input type to string.`;
}

/** Removes the bindings and dependsOn entries behind the given edge ids; unknown ids are ignored. */
export function removeEdges(pipeline: Pipeline, edgeIds: readonly string[]): Pipeline {
  let result = pipeline;
  for (const edgeId of edgeIds) {
    const parsed = parseEdgeId(edgeId);
    if (parsed?.kind === 'data') {
      result = mapStep(result, parsed.stepId, (step) => ({
        ...step,
        inputs: step.inputs.map((input) => (input.name === parsed.inputName ? withoutSource(input) : input)),
      }));
    } else if (parsed?.kind === 'order') {
      result = mapStep(result, parsed.downstreamId, (step) => ({
        ...step,
        dependsOn: step.dependsOn.filter((id) => id !== parsed.upstreamId),
      }));
    }
  }
  return result;
}

/**
 * Returns the steps on a path from `fromId` down to `toId` along existing edges, both ends included,
 * or undefined when `toId` does not wait for `fromId`.
 */
export function pathBetween(pipeline: Pipeline, fromId: string, toId: string): string[] | undefined {
  const graph = buildStepGraph(pipeline);
  const previous = new Map<string, string>();
  const queue = [fromId];
  const seen = new Set(queue);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    if (id === toId) {
      const path = [id];
      for (let at = previous.get(id); at !== undefined; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const next of graph.downstream.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, id);
      queue.push(next);
    }
  }
  return undefined;
}

/** Returns the input with no source, so it falls back to its default. */
export function withoutSource(input: InputPort): InputPort {
  return applyPatch(input, { from: undefined });
}

/** Replaces the step with id `stepId` by `update(step)`; other steps keep their identity. */
export function mapStep(pipeline: Pipeline, stepId: string, update: (step: Step) => Step): Pipeline {
  return { ...pipeline, steps: pipeline.steps.map((step) => (step.id === stepId ? update(step) : step)) };
}
