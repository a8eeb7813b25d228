/**
 * Pure edits of a step's input and output ports and of the pipeline's parameters. Renames check the
 * name and update what refers to it (bindings and the step's own placeholders); removals unbind
 * whatever was bound to the removed port or parameter.
 */
import {
  isParameterSource,
  isSecretEnvVar,
  isStepOutputSource,
  NAME_PATTERN,
  type InputPort,
  type OutputPort,
  type Pipeline,
  type PipelineParameter,
  type Step,
} from '@/lib/pipeline/schema';

import { mapStep, withoutSource, type EditResult } from './connections';
import { applyPatch } from './patch';

/** Returns `base_1`, `base_2`, ... : the first that no entry of `entries` uses. */
export function nextName(entries: readonly { name: string }[], base: string): string {
  const used = new Set(entries.map((entry) => entry.name));
  let number = 1;
  while (used.has(`${base}_${number}`)) number++;
  return `${base}_${number}`;
}

function checkName(entries: readonly { name: string }[], index: number, newName: string, noun: string): string | undefined {
  if (!NAME_PATTERN.test(newName)) {
    return `The ${noun} name must start with a letter or "_" and contain only letters, digits and "_" (at most 63).`;
  }
  if (entries.some((entry, other) => other !== index && entry.name === newName)) {
    return `Another ${noun} already has the name \`${newName}\`.`;
  }
  return undefined;
}

/** Rewrites `{{kind.oldName}}` placeholders (spaces inside the braces kept) in one template. */
function renamePlaceholder(template: string, kind: 'inputs' | 'outputs', oldName: string, newName: string): string {
  const pattern = new RegExp(`\\{\\{(\\s*)${kind}\\.${oldName}(\\s*)\\}\\}`, 'g');
  return template.replace(pattern, `{{$1${kind}.${newName}$2}}`);
}

function renamePlaceholders(step: Step, kind: 'inputs' | 'outputs', oldName: string, newName: string): Step {
  const rename = (template: string) => renamePlaceholder(template, kind, oldName, newName);
  return {
    ...step,
    command: step.command.map(rename),
    args: step.args.map(rename),
    env: step.env.map((variable) => (isSecretEnvVar(variable) ? variable : { ...variable, value: rename(variable.value) })),
  };
}

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((entry, at) => (at === index ? item : entry));
}

/** Appends an input (`input_1`, ...) of type string to a step. */
export function addInput(pipeline: Pipeline, stepId: string): Pipeline {
  return mapStep(pipeline, stepId, (step) => ({
    ...step,
    inputs: [...step.inputs, { name: nextName(step.inputs, 'input'), type: 'string' }],
  }));
}

/** Replaces fields of one input other than its name (type, optional, default, source). */
export function updateInput(pipeline: Pipeline, stepId: string, index: number, patch: Partial<Omit<InputPort, 'name'>>): Pipeline {
  return mapStep(pipeline, stepId, (step) => {
    const input = step.inputs[index];
    if (!input) return step;
    return { ...step, inputs: replaceAt(step.inputs, index, applyPatch(input, patch)) };
  });
}

/** Renames one input and the step's `{{inputs.NAME}}` placeholders that refer to it. */
export function renameInput(pipeline: Pipeline, stepId: string, index: number, newName: string): EditResult {
  const step = pipeline.steps.find((candidate) => candidate.id === stepId);
  const input = step?.inputs[index];
  if (!step || !input) return { ok: false, message: `Step \`${stepId}\` has no input number ${index + 1}.` };
  if (input.name === newName) return { ok: true, pipeline };
  const problem = checkName(step.inputs, index, newName, 'input');
  if (problem) return { ok: false, message: problem };

  return {
    ok: true,
    pipeline: mapStep(pipeline, stepId, (current) => {
      const renamed = renamePlaceholders(current, 'inputs', input.name, newName);
      return { ...renamed, inputs: replaceAt(current.inputs, index, { ...input, name: newName }) };
    }),
  };
}

/** Removes one input of a step; the edge bound to it goes with it. */
export function removeInput(pipeline: Pipeline, stepId: string, index: number): Pipeline {
  return mapStep(pipeline, stepId, (step) => ({ ...step, inputs: step.inputs.filter((_, at) => at !== index) }));
}

/** Appends an output (`output_1`, ...) of type string to a step. */
export function addOutput(pipeline: Pipeline, stepId: string): Pipeline {
  return mapStep(pipeline, stepId, (step) => ({
    ...step,
    outputs: [...step.outputs, { name: nextName(step.outputs, 'output'), type: 'string' }],
  }));
}

/** Replaces the type or description of one output. */
export function updateOutput(pipeline: Pipeline, stepId: string, index: number, patch: Partial<Omit<OutputPort, 'name'>>): Pipeline {
  return mapStep(pipeline, stepId, (step) => {
    const output = step.outputs[index];
    return output ? { ...step, outputs: replaceAt(step.outputs, index, applyPatch(output, patch)) } : step;
  });
}

/** Renames one output, the step's `{{outputs.NAME}}` placeholders, and the inputs bound to it. */
export function renameOutput(pipeline: Pipeline, stepId: string, index: number, newName: string): EditResult {
  const step = pipeline.steps.find((candidate) => candidate.id === stepId);
  const output = step?.outputs[index];
  if (!step || !output) return { ok: false, message: `Step \`${stepId}\` has no output number ${index + 1}.` };
  if (output.name === newName) return { ok: true, pipeline };
  const problem = checkName(step.outputs, index, newName, 'output');
  if (problem) return { ok: false, message: problem };

  const steps = pipeline.steps.map((current): Step => {
    let result = current;
    if (current.id === stepId) {
      result = renamePlaceholders(current, 'outputs', output.name, newName);
      result = { ...result, outputs: replaceAt(current.outputs, index, { ...output, name: newName }) };
    }
    const isConsumer = result.inputs.some(
      (input) => isStepOutputSource(input.from) && input.from.step === stepId && input.from.output === output.name,
    );
    if (!isConsumer) return result;
    return {
      ...result,
      inputs: result.inputs.map((input) =>
        isStepOutputSource(input.from) && input.from.step === stepId && input.from.output === output.name
          ? { ...input, from: { step: stepId, output: newName } }
          : input,
      ),
    };
  });
  return { ok: true, pipeline: { ...pipeline, steps } };
}

/** Removes one output of a step and unbinds every input that was bound to it. */
export function removeOutput(pipeline: Pipeline, stepId: string, index: number): Pipeline {
  const output = pipeline.steps.find((step) => step.id === stepId)?.outputs[index];
  if (!output) return pipeline;
  const isRemoved = (input: InputPort) =>
    isStepOutputSource(input.from) && input.from.step === stepId && input.from.output === output.name;

  const steps = pipeline.steps.map((step): Step => {
    const outputs = step.id === stepId ? step.outputs.filter((_, at) => at !== index) : step.outputs;
    if (!step.inputs.some(isRemoved)) return outputs === step.outputs ? step : { ...step, outputs };
    return { ...step, outputs, inputs: step.inputs.map((input) => (isRemoved(input) ? withoutSource(input) : input)) };
  });
  return { ...pipeline, steps };
}

/** Appends a string parameter (`param_1`, ...) to the pipeline. */
export function addParameter(pipeline: Pipeline): Pipeline {
  return { ...pipeline, parameters: [...pipeline.parameters, { name: nextName(pipeline.parameters, 'param'), type: 'string' }] };
}

/** Replaces fields of one parameter other than its name; a field set to undefined is removed. */
export function updateParameter(pipeline: Pipeline, index: number, patch: Partial<Omit<PipelineParameter, 'name'>>): Pipeline {
  const parameter = pipeline.parameters[index];
  if (!parameter) return pipeline;
  return { ...pipeline, parameters: replaceAt(pipeline.parameters, index, applyPatch(parameter, patch)) };
}

/** Renames one parameter and every input bound to it. */
export function renameParameter(pipeline: Pipeline, index: number, newName: string): EditResult {
  const parameter = pipeline.parameters[index];
  if (!parameter) return { ok: false, message: `The pipeline has no parameter number ${index + 1}.` };
  if (parameter.name === newName) return { ok: true, pipeline };
  const problem = checkName(pipeline.parameters, index, newName, 'parameter');
  if (problem) return { ok: false, message: problem };

  const renamed = rebindParameter(pipeline, parameter.name, (input) => ({ ...input, from: { parameter: newName } }));
  return { ok: true, pipeline: { ...renamed, parameters: replaceAt(pipeline.parameters, index, { ...parameter, name: newName }) } };
}

/** Removes one parameter and unbinds every input bound to it. */
export function removeParameter(pipeline: Pipeline, index: number): Pipeline {
  const parameter = pipeline.parameters[index];
  if (!parameter) return pipeline;
  const unbound = rebindParameter(pipeline, parameter.name, withoutSource);
  return { ...unbound, parameters: pipeline.parameters.filter((_, at) => at !== index) };
}

function rebindParameter(pipeline: Pipeline, name: string, rebind: (input: InputPort) => InputPort): Pipeline {
  const isBound = (input: InputPort) => isParameterSource(input.from) && input.from.parameter === name;
  return {
    ...pipeline,
    steps: pipeline.steps.map((step) =>
      step.inputs.some(isBound) ? { ...step, inputs: step.inputs.map((input) => (isBound(input) ? rebind(input) : input)) } : step,
    ),
  };
}
