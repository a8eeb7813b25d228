/**
 * Compiling a validated pipeline and its parameter values into an execution plan: the steps in the
 * order they may start, each with its upstream steps and where every input gets its value.
 */
import { PipedeckError } from '../errors';
import { buildStepGraph, topologicalOrder } from './graph';
import { describeValue, formatValue, valueMatchesType, type ParameterProblem } from './parameters';
import { isConstantSource, isParameterSource, isStepOutputSource, type JsonValue, type Pipeline, type PortType, type Step } from './schema';
import { validatePipeline } from './validate';

/** The source of one input of a planned step. */
export interface PlanInput {
  name: string;
  type: PortType;
  /**
   * `value`: the text the step receives (from a parameter, a constant or the input's default).
   * `output`: an upstream step's output, known once that step has ended.
   * `absent`: an optional input with no source and no default; the engine passes no value.
   */
  source: { kind: 'value'; value: string } | { kind: 'output'; stepId: string; output: string } | { kind: 'absent' };
}

/** One step of the plan. */
export interface PlanStep {
  step: Step;
  /** Steps that must succeed first: data and order edges, sorted, unique. */
  upstream: string[];
  /** One entry per declared input, in declaration order. */
  inputs: PlanInput[];
}

/** The steps and parameter values of one run, ready for the engine. */
export interface ExecutionPlan {
  /** Every declared parameter with its value, defaults filled in. */
  parameters: Record<string, JsonValue>;
  /** Steps in topological order; ties keep pipeline order, so the same pipeline always plans the same. */
  steps: PlanStep[];
}

/**
 * Compiles a pipeline for a run.
 *
 * `parameters` contains typed values, e.g. the result of `resolveParameters`; strings are not parsed
 * again here, so a json parameter whose value is a string stays that string. Missing values take
 * the declared default.
 *
 * Throws PipedeckError('invalid_pipeline', message, details: ValidationIssue[]) when
 * `validatePipeline` finds problems, and PipedeckError('invalid_parameters', message,
 * details: ParameterProblem[]) for an unknown, missing or mistyped parameter value.
 */
export function compilePipeline(pipeline: Pipeline, parameters: Record<string, JsonValue>): ExecutionPlan {
  const issues = validatePipeline(pipeline);
  if (issues.length > 0) {
    const summary = issues.map((issue) => issue.message).join('\n');
    const noun = issues.length === 1 ? 'problem' : 'problems';
    throw new PipedeckError('invalid_pipeline', `pipeline \`${pipeline.name}\` has ${issues.length} ${noun}:\n${summary}`, issues);
  }

  const values = checkParameterValues(pipeline, parameters);
  const graph = buildStepGraph(pipeline);
  const stepsById = new Map(pipeline.steps.map((step) => [step.id, step]));

  // validatePipeline found no cycle, so every step is in the order.
  const steps = topologicalOrder(graph).order.map((id): PlanStep => {
    const step = stepsById.get(id)!;
    return { step, upstream: graph.upstream.get(id)!, inputs: step.inputs.map((input) => planInput(input, values)) };
  });
  return { parameters: values, steps };
}

function planInput(input: Step['inputs'][number], parameters: Record<string, JsonValue>): PlanInput {
  const base = { name: input.name, type: input.type };
  const source = input.from;
  if (isStepOutputSource(source)) return { ...base, source: { kind: 'output', stepId: source.step, output: source.output } };
  if (isParameterSource(source)) return { ...base, source: { kind: 'value', value: formatValue(parameters[source.parameter]!) } };
  if (isConstantSource(source)) return { ...base, source: { kind: 'value', value: formatValue(source.value) } };
  if (input.default !== undefined) return { ...base, source: { kind: 'value', value: formatValue(input.default) } };
  return { ...base, source: { kind: 'absent' } };
}

function checkParameterValues(pipeline: Pipeline, given: Record<string, JsonValue>): Record<string, JsonValue> {
  const problems: ParameterProblem[] = [];
  const values: Record<string, JsonValue> = {};
  const declared = new Set(pipeline.parameters.map((parameter) => parameter.name));

  for (const name of Object.keys(given)) {
    if (!declared.has(name)) problems.push({ name, message: `\`${name}\` is not a parameter of this pipeline` });
  }
  for (const parameter of pipeline.parameters) {
    const value = Object.hasOwn(given, parameter.name) ? given[parameter.name] : undefined;
    if (value === undefined) {
      if (parameter.default === undefined) {
        problems.push({ name: parameter.name, message: `\`${parameter.name}\` is required; give it a ${parameter.type} value` });
      } else {
        values[parameter.name] = parameter.default;
      }
    } else if (valueMatchesType(value, parameter.type)) {
      values[parameter.name] = value;
    } else {
      problems.push({
        name: parameter.name,
        message: `\`${parameter.name}\` (${parameter.type}): expected a ${parameter.type}, got ${describeValue(value)}`,
      });
    }
  }

  if (problems.length > 0) {
    const summary = problems.map((problem) => problem.message).join('; ');
    throw new PipedeckError('invalid_parameters', `invalid parameters: ${summary}`, problems);
  }
  return values;
}
