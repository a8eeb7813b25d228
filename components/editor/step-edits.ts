/**
 * Pure edits of a pipeline's steps: add, change, move, rename and delete. Each returns a new
 * pipeline and keeps every reference between steps (bindings, dependsOn) consistent.
 */
import { isStepOutputSource, STEP_ID_PATTERN, type Pipeline, type Step, type StepKind } from '@/lib/pipeline/schema';

import { mapStep, withoutSource, type EditResult } from './connections';
import { applyPatch } from './patch';
import { createStep, nextStepId } from './step-templates';

/** Fields of a step that `updateStep` may change; the id changes only through `renameStepId`. */
export type StepPatch = Partial<Omit<Step, 'id'>>;

/** Appends a new step of `kind` at `position`; returns the pipeline and the new step's id. */
export function addStep(
  pipeline: Pipeline,
  kind: StepKind,
  position: { x: number; y: number },
): { pipeline: Pipeline; stepId: string } {
  const stepId = nextStepId(pipeline, kind);
  return { pipeline: { ...pipeline, steps: [...pipeline.steps, createStep(kind, stepId, position)] }, stepId };
}

/** Room a step takes on the canvas when placing new steps: a node is 240 px wide, about 100 px tall. */
const STEP_FOOTPRINT = { width: 270, height: 130 };

/**
 * Returns the first position at or below `desired`, in steps of one footprint, where a new step
 * does not overlap an existing one, so steps added by click do not hide each other.
 */
export function findFreePosition(pipeline: Pipeline, desired: { x: number; y: number }): { x: number; y: number } {
  const overlaps = (position: { x: number; y: number }) =>
    pipeline.steps.some(
      (step) =>
        Math.abs(step.position.x - position.x) < STEP_FOOTPRINT.width && Math.abs(step.position.y - position.y) < STEP_FOOTPRINT.height,
    );
  for (let row = 0; row <= pipeline.steps.length; row++) {
    const candidate = { x: desired.x, y: desired.y + row * STEP_FOOTPRINT.height };
    if (!overlaps(candidate)) return candidate;
  }
  return desired;
}

/** Changes fields of one step (undefined removes an optional field); an unknown id changes nothing. */
export function updateStep(pipeline: Pipeline, stepId: string, patch: StepPatch): Pipeline {
  return mapStep(pipeline, stepId, (step) => applyPatch(step, patch));
}

/** Sets the canvas position of the given steps. */
export function moveSteps(pipeline: Pipeline, positions: ReadonlyMap<string, { x: number; y: number }>): Pipeline {
  if (positions.size === 0) return pipeline;
  return {
    ...pipeline,
    steps: pipeline.steps.map((step) => {
      const position = positions.get(step.id);
      return position ? { ...step, position: { x: position.x, y: position.y } } : step;
    }),
  };
}

/**
 * Gives a step a new id and updates every reference to it: dependsOn entries and inputs bound to
 * its outputs. Rejects an id that is not a DNS-1123 label or that another step already has, so two
 * steps' references can never merge.
 */
export function renameStepId(pipeline: Pipeline, oldId: string, newId: string): EditResult {
  if (newId === oldId) return { ok: true, pipeline };
  if (!pipeline.steps.some((step) => step.id === oldId)) {
    return { ok: false, message: `Step \`${oldId}\` no longer exists.` };
  }
  if (!STEP_ID_PATTERN.test(newId)) {
    return {
      ok: false,
      message:
        'An id must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters.',
    };
  }
  if (pipeline.steps.some((step) => step.id === newId)) {
    return { ok: false, message: `Another step already has the id \`${newId}\`.` };
  }

  const steps = pipeline.steps.map((step): Step => {
    const renamed = step.id === oldId ? { ...step, id: newId } : step;
    const dependsOnOld = renamed.dependsOn.includes(oldId);
    const boundToOld = renamed.inputs.some((input) => isStepOutputSource(input.from) && input.from.step === oldId);
    if (!dependsOnOld && !boundToOld) return renamed;
    return {
      ...renamed,
      dependsOn: renamed.dependsOn.map((id) => (id === oldId ? newId : id)),
      inputs: renamed.inputs.map((input) =>
        isStepOutputSource(input.from) && input.from.step === oldId
          ? { ...input, from: { step: newId, output: input.from.output } }
          : input,
      ),
    };
  });
  return { ok: true, pipeline: { ...pipeline, steps } };
}

/**
 * Deletes steps and every reference to them: inputs bound to their outputs become unbound and
 * dependsOn entries naming them are removed, so no dangling reference is saved.
 */
export function deleteSteps(pipeline: Pipeline, stepIds: readonly string[]): Pipeline {
  const deleted = new Set(stepIds);
  if (!pipeline.steps.some((step) => deleted.has(step.id))) return pipeline;

  const steps = pipeline.steps
    .filter((step) => !deleted.has(step.id))
    .map((step): Step => {
      const dependsOnDeleted = step.dependsOn.some((id) => deleted.has(id));
      const boundToDeleted = step.inputs.some((input) => isStepOutputSource(input.from) && deleted.has(input.from.step));
      if (!dependsOnDeleted && !boundToDeleted) return step;
      return {
        ...step,
        dependsOn: step.dependsOn.filter((id) => !deleted.has(id)),
        inputs: step.inputs.map((input) =>
          isStepOutputSource(input.from) && deleted.has(input.from.step) ? withoutSource(input) : input,
        ),
      };
    });
  return { ...pipeline, steps };
}
