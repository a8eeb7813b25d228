/**
 * Building what an executor needs for one attempt: the step's inputs resolved from parameters,
 * constants and upstream outputs, and its argv and env with placeholders substituted.
 */
import { PipedeckError } from '../errors';
import type { PlanStep } from '../pipeline/compile';
import { renderArgv, renderEnv } from '../pipeline/placeholders';
import { isSecretEnvVar } from '../pipeline/schema';
import type { Store } from '../store/types';
import type { AttemptSpec, Executor } from '../executors/types';
import type { StepRunRecord } from './types';

/** Inputs of one step as it receives them. */
export interface ResolvedInputs {
  /** Input name → text; an artifact input maps to the upstream artifact's stored host path. */
  values: Record<string, string>;
  /** Artifact inputs only: input name → stored host path. */
  artifacts: Record<string, string>;
  /** Optional inputs with no value; their placeholders render as empty text. */
  absent: string[];
}

/**
 * Resolves a planned step's inputs. Throws PipedeckError('internal') when an upstream step succeeded
 * without the output an input is bound to, which the executors rule out.
 */
export function resolveStepInputs(planStep: PlanStep, stepsById: Map<string, StepRunRecord>): ResolvedInputs {
  const resolved: ResolvedInputs = { values: {}, artifacts: {}, absent: [] };

  for (const input of planStep.inputs) {
    const source = input.source;
    if (source.kind === 'absent') {
      resolved.absent.push(input.name);
      continue;
    }
    if (source.kind === 'value') {
      resolved.values[input.name] = source.value;
      continue;
    }

    const output = stepsById.get(source.stepId)?.outputs[source.output];
    if (!output) {
      throw new PipedeckError(
        'internal',
        `step \`${planStep.step.id}\`: input \`${input.name}\` reads output \`${source.output}\` of step \`${source.stepId}\`, which that step did not produce`,
      );
    }
    if (output.type === 'artifact') {
      resolved.values[input.name] = output.path;
      resolved.artifacts[input.name] = output.path;
    } else {
      resolved.values[input.name] = output.value;
    }
  }
  return resolved;
}

/**
 * Builds the attempt spec: paths from the store, output and artifact paths from the executor, and
 * placeholders rendered one argv element at a time.
 */
export function buildAttemptSpec(options: {
  store: Store;
  executor: Executor;
  runId: string;
  planStep: PlanStep;
  attempt: number;
  inputs: ResolvedInputs;
}): AttemptSpec {
  const { store, executor, runId, planStep, attempt, inputs } = options;
  const step = planStep.step;
  const location = { runId, stepId: step.id, attempt, attemptDir: store.attemptDir(runId, step.id, attempt) };
  const paths = executor.stepPaths(location, step.outputs, inputs.artifacts);

  const placeholderInputs: Record<string, string> = {};
  for (const name of inputs.absent) placeholderInputs[name] = '';
  // An executor may mount artifacts elsewhere (e.g. inside a container), so its paths win.
  Object.assign(placeholderInputs, inputs.values, paths.inputArtifacts);
  const context = { inputs: placeholderInputs, outputs: paths.outputs, runId, stepId: step.id };

  return {
    ...location,
    stepName: step.name,
    image: step.image,
    argv: renderArgv([...step.command, ...step.args], context),
    env: renderEnv(step.env, context),
    secretEnv: step.env.filter(isSecretEnvVar),
    workingDir: step.workingDir,
    logFile: store.logFile(runId, step.id, attempt),
    outputs: step.outputs.map((output) => ({ name: output.name, type: output.type })),
    inputArtifacts: inputs.artifacts,
    timeoutSeconds: step.timeoutSeconds,
    resources: step.resources,
    security: step.security,
  };
}
