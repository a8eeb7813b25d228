/**
 * Whole-pipeline validation: the rules the zod schema cannot check alone (ids, bindings, types,
 * placeholders, cycles). Pure TypeScript so the editor runs it in the browser on every edit.
 */
import { buildStepGraph, findCycles } from './graph';
import type { ValidationIssue } from './issues';
import { valueMatchesType } from './parameters';
import { describeUnknownToken, scanPlaceholders } from './placeholders';
import { parsePipelineShape } from './shape';
import {
  isConstantSource,
  isSecretEnvVar,
  isParameterSource,
  isStepOutputSource,
  NAME_PATTERN,
  STEP_ID_PATTERN,
  type InputPort,
  type JsonValue,
  type Pipeline,
  type PortType,
  type Step,
} from './schema';

export { parsePipelineShape } from './shape';

// Environment variable names have no length limit, unlike parameter and port names.
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Returns true when a source of type `source` may feed an input of type `input`.
 * Any small value may feed a string input (it receives the value's text), number and boolean may
 * feed a json input (their text is valid JSON), and otherwise the types must be equal. An artifact
 * only feeds an artifact, and nothing else feeds an artifact.
 */
export function canFeed(source: PortType, input: PortType): boolean {
  if (source === input) return true;
  if (source === 'artifact' || input === 'artifact') return false;
  if (input === 'string') return true;
  return input === 'json' && (source === 'number' || source === 'boolean');
}

/** Checks a pipeline against every rule and returns all problems found, in pipeline order, cycles last. */
export function validatePipeline(pipeline: Pipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (pipeline.name.trim() === '') {
    issues.push({ code: 'invalid_field', field: 'name', message: 'the pipeline name is empty; give the pipeline a name' });
  }
  checkParameters(pipeline, issues);

  const stepsById = new Map<string, Step>();
  const firstIndex = new Map<string, number>();
  pipeline.steps.forEach((step, index) => {
    if (!STEP_ID_PATTERN.test(step.id)) {
      issues.push({
        code: 'invalid_step_id',
        stepId: step.id,
        field: 'id',
        message:
          `step id \`${step.id}\` is invalid: an id must be a DNS-1123 label (lower-case letters, digits and "-", ` +
          'starting with a letter and ending with a letter or digit, at most 63 characters); rename the step',
      });
    }
    const first = firstIndex.get(step.id);
    if (first === undefined) {
      firstIndex.set(step.id, index);
      stepsById.set(step.id, step);
    } else {
      issues.push({
        code: 'duplicate_step_id',
        stepId: step.id,
        field: 'id',
        message: `step id \`${step.id}\` is used by steps[${first}] and steps[${index}]; give each step a unique id`,
      });
    }
  });

  for (const step of pipeline.steps) checkStep(pipeline, step, stepsById, issues);

  for (const cycle of findCycles(buildStepGraph(pipeline))) {
    issues.push({
      code: 'cycle',
      stepId: cycle[0],
      message:
        `steps form a cycle: ${cycle.join(' → ')}; remove one of these connections ` +
        '(an input binding or a dependsOn entry) so every step can start',
    });
  }
  return issues;
}

/**
 * Checks the shape with zod, then runs `validatePipeline`. Shape errors become `invalid_field` issues
 * with a path from the root such as `steps[2].command`, and the step id when the step has one.
 */
export function parsePipeline(input: unknown): { ok: true; pipeline: Pipeline } | { ok: false; issues: ValidationIssue[] } {
  const shape = parsePipelineShape(input);
  if (!shape.ok) return shape;
  const issues = validatePipeline(shape.pipeline);
  return issues.length > 0 ? { ok: false, issues } : shape;
}

function checkParameters(pipeline: Pipeline, issues: ValidationIssue[]): void {
  checkNames(pipeline.parameters, 'parameters', 'parameter', undefined, issues);
  pipeline.parameters.forEach((parameter, index) => {
    if (parameter.default !== undefined && !valueMatchesType(parameter.default, parameter.type)) {
      issues.push({
        code: 'invalid_default',
        field: `parameters[${index}].default`,
        message:
          `parameter \`${parameter.name}\` (${parameter.type}): the default ${quote(parameter.default)} ` +
          `is not a ${parameter.type}; change the default or the type`,
      });
    }
  });
}

function checkStep(pipeline: Pipeline, step: Step, stepsById: Map<string, Step>, issues: ValidationIssue[]): void {
  const where = `step \`${step.id}\``;
  if (step.image.trim() === '') {
    issues.push({
      code: 'missing_image',
      stepId: step.id,
      field: 'image',
      message: `${where}: the image is empty; set the container image to run, e.g. \`python:3.12-slim\``,
    });
  }
  if (step.command.length === 0 || step.command[0]!.trim() === '') {
    issues.push({
      code: 'missing_command',
      stepId: step.id,
      field: 'command',
      message: `${where}: the command is empty; set the program to run, e.g. \`python\` with its arguments in args`,
    });
  }

  checkNames(step.inputs, 'inputs', 'input', step.id, issues);
  checkNames(step.outputs, 'outputs', 'output', step.id, issues);
  checkNames(step.env, 'env', 'environment variable', step.id, issues, ENV_NAME_PATTERN);

  step.dependsOn.forEach((dependency, index) => {
    const field = `dependsOn[${index}]`;
    if (dependency === step.id) {
      issues.push({ code: 'self_dependency', stepId: step.id, field, message: `${where}: dependsOn names the step itself; remove \`${step.id}\` from its dependsOn` });
    } else if (!stepsById.has(dependency)) {
      issues.push({ code: 'unknown_step', stepId: step.id, field, message: `${where}: dependsOn names step \`${dependency}\`, which does not exist; remove it or add a step with that id` });
    }
  });

  step.inputs.forEach((input, index) => checkInput(pipeline, step, input, index, stepsById, issues));
  checkPlaceholders(step, issues);
}

function checkInput(
  pipeline: Pipeline,
  step: Step,
  input: InputPort,
  index: number,
  stepsById: Map<string, Step>,
  issues: ValidationIssue[],
): void {
  const where = `step \`${step.id}\`: input \`${input.name}\` (${input.type})`;
  const field = `inputs[${index}].from`;
  const push = (code: ValidationIssue['code'], message: string, at = field) =>
    issues.push({ code, stepId: step.id, field: at, message: `${where} ${message}` });

  if (input.default !== undefined && !valueMatchesType(input.default, input.type)) {
    const problem =
      input.type === 'artifact'
        ? 'has a default, but an artifact input cannot have one; remove the default'
        : `has the default ${quote(input.default)}, which is not a ${input.type}; change the default or the type`;
    push('invalid_default', problem, `inputs[${index}].default`);
  }

  const source = input.from;
  if (source === undefined) {
    if (input.default === undefined && !input.optional) {
      push('unbound_input', 'is not connected to any upstream output or parameter; connect it or give it a default', `inputs[${index}]`);
    }
  } else if (isStepOutputSource(source)) {
    const upstream = stepsById.get(source.step);
    if (source.step === step.id) {
      push('self_dependency', `is bound to an output of its own step; connect it to an upstream step`);
    } else if (!upstream) {
      push('unknown_step', `is bound to step \`${source.step}\`, which does not exist; connect it to an existing step`);
    } else {
      const output = upstream.outputs.find((candidate) => candidate.name === source.output);
      if (!output) {
        const declared = upstream.outputs.map((candidate) => `\`${candidate.name}\``).join(', ') || 'none';
        push('unknown_output', `is bound to output \`${source.output}\` of step \`${source.step}\`, which declares no such output (declared: ${declared}); connect it to a declared output`);
      } else if (!canFeed(output.type, input.type)) {
        push('type_mismatch', `cannot receive output \`${output.name}\` of step \`${source.step}\` (${output.type}); ${mismatchHint(input.type)}`);
      }
    }
  } else if (isParameterSource(source)) {
    const parameter = pipeline.parameters.find((candidate) => candidate.name === source.parameter);
    if (!parameter) {
      push('unknown_parameter', `is bound to pipeline parameter \`${source.parameter}\`, which is not declared; declare the parameter or change the binding`);
    } else if (!canFeed(parameter.type, input.type)) {
      push('type_mismatch', `cannot receive pipeline parameter \`${parameter.name}\` (${parameter.type}); ${mismatchHint(input.type)}`);
    }
  } else if (isConstantSource(source) && !valueMatchesType(source.value, input.type)) {
    const problem =
      input.type === 'artifact'
        ? 'is set to a constant, but an artifact input must be connected to an artifact output'
        : `is set to the constant ${quote(source.value)}, which is not a ${input.type}; set a ${input.type} value`;
    push('type_mismatch', problem);
  }
}

/** Shows a value as JSON, cut to a length that fits in one message. */
function quote(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function mismatchHint(input: PortType): string {
  if (input === 'artifact') return 'an artifact input must be connected to an artifact output';
  if (input === 'json') return 'a json input takes a json, number or boolean source';
  return `connect it to a ${input} or change the input's type to string`;
}

function checkPlaceholders(step: Step, issues: ValidationIssue[]): void {
  const inputs = new Set(step.inputs.map((input) => input.name));
  const outputs = new Set(step.outputs.map((output) => output.name));
  const templates: [string, string][] = [
    ...step.command.map((text, index): [string, string] => [`command[${index}]`, text]),
    ...step.args.map((text, index): [string, string] => [`args[${index}]`, text]),
    ...step.env.flatMap((variable, index): [string, string][] =>
      isSecretEnvVar(variable) ? [] : [[`env[${index}].value`, variable.value]],
    ),
  ];

  for (const [field, template] of templates) {
    for (const token of scanPlaceholders(template)) {
      const problem = placeholderProblem(token, inputs, outputs);
      if (problem) issues.push({ code: 'unknown_placeholder', stepId: step.id, field, message: `step \`${step.id}\`: ${field}: ${problem}` });
    }
  }
}

function placeholderProblem(
  token: ReturnType<typeof scanPlaceholders>[number],
  inputs: Set<string>,
  outputs: Set<string>,
): string | undefined {
  const placeholder = token.placeholder;
  if (!placeholder) return describeUnknownToken(token);
  if (placeholder.kind === 'inputs' && !inputs.has(placeholder.name)) {
    return `\`${token.raw}\` refers to input \`${placeholder.name}\`, which the step does not declare; add the input or fix the placeholder`;
  }
  if (placeholder.kind === 'outputs' && !outputs.has(placeholder.name)) {
    return `\`${token.raw}\` refers to output \`${placeholder.name}\`, which the step does not declare; add the output or fix the placeholder`;
  }
  if ((placeholder.kind === 'run' || placeholder.kind === 'step') && placeholder.name !== 'id') {
    return `\`${token.raw}\` is not a known placeholder; only {{${placeholder.kind}.id}} exists`;
  }
  return undefined;
}

/** Reports invalid and duplicate names in a list of parameters, ports or environment variables. */
function checkNames(
  entries: { name: string }[],
  listField: string,
  noun: string,
  stepId: string | undefined,
  issues: ValidationIssue[],
  pattern = NAME_PATTERN,
): void {
  const prefix = stepId === undefined ? '' : `step \`${stepId}\`: `;
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const field = `${listField}[${index}].name`;
    const step = stepId === undefined ? {} : { stepId };
    if (!pattern.test(entry.name)) {
      issues.push({
        code: 'invalid_field',
        ...step,
        field,
        message: `${prefix}${noun} name \`${entry.name}\` is invalid; use a letter or "_" followed by letters, digits or "_"${pattern === NAME_PATTERN ? ' (at most 63 characters)' : ''}`,
      });
    }
    const first = seen.get(entry.name);
    if (first === undefined) {
      seen.set(entry.name, index);
    } else {
      issues.push({
        code: 'duplicate_name',
        ...step,
        field,
        message: `${prefix}${noun} name \`${entry.name}\` is used by ${listField}[${first}] and ${listField}[${index}]; rename one of them`,
      });
    }
  });
}
