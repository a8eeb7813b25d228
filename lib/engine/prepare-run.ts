/**
 * Checking a run request before anything is stored: the pipeline and version exist, the parameters
 * fit, the pipeline compiles, and the executor is known and available.
 */
import { PipedeckError } from '../errors';
import { compilePipeline } from '../pipeline/compile';
import { resolveParameters } from '../pipeline/parameters';
import { isSecretEnvVar, type JsonValue, type Pipeline } from '../pipeline/schema';
import type { Executor } from '../executors/types';
import type { NewRun, Store } from '../store/types';
import { EXECUTOR_NAMES, type ExecutorName } from './types';

/** A request to start a run, as the API and the CLI send it. */
export interface SubmitRunRequest {
  pipelineId: string;
  /** Pipeline version to run; the latest when omitted. */
  version?: number;
  /** Raw parameter values, coerced to the declared types (form text is accepted). */
  parameters?: Record<string, unknown>;
  executor?: ExecutorName;
}

/**
 * Validates a run request and returns the run to store. Throws PipedeckError with `invalid_request`,
 * `not_found`, `invalid_parameters`, `invalid_pipeline` or `executor_unavailable`.
 */
export async function prepareRun(
  store: Store,
  executors: Map<ExecutorName, Executor>,
  defaultExecutor: ExecutorName,
  request: SubmitRunRequest,
): Promise<NewRun> {
  checkRequestShape(request);

  const pipeline = store.getPipeline(request.pipelineId);
  if (!pipeline) throw new PipedeckError('not_found', `pipeline \`${request.pipelineId}\` not found`);

  let definition = pipeline.definition;
  const version = request.version ?? pipeline.version;
  if (request.version !== undefined && request.version !== pipeline.version) {
    const stored = store.getPipelineVersion(pipeline.id, request.version);
    if (!stored) {
      throw new PipedeckError(
        'not_found',
        `pipeline \`${pipeline.id}\` has no version ${request.version}; its versions are 1 to ${pipeline.version}`,
      );
    }
    definition = stored.definition;
  }

  const parameters = resolveParameters(definition, request.parameters ?? {});
  return prepareRunOfDefinition(executors, {
    pipelineId: pipeline.id,
    pipelineVersion: version,
    pipeline: definition,
    parameters,
    executor: request.executor ?? defaultExecutor,
  });
}

/**
 * Checks a run of a stored definition with typed parameter values (as a rerun has them): the
 * pipeline compiles with those values and the executor is available.
 */
export async function prepareRunOfDefinition(
  executors: Map<ExecutorName, Executor>,
  run: { pipelineId: string; pipelineVersion: number; pipeline: Pipeline; parameters: Record<string, JsonValue>; executor: ExecutorName },
): Promise<NewRun> {
  const plan = compilePipeline(run.pipeline, run.parameters);
  await checkExecutorAvailable(executors, run.executor);
  checkSecretsSupported(executors, run.executor, run.pipeline);
  checkExecutorCanRun(executors, run.executor, run.pipeline);
  return { ...run, parameters: plan.parameters };
}

async function checkExecutorAvailable(executors: Map<ExecutorName, Executor>, name: ExecutorName): Promise<void> {
  const executor = executors.get(name);
  if (!executor) {
    const configured = [...executors.keys()].join(', ') || 'none';
    throw new PipedeckError('executor_unavailable', `executor \`${name}\` is not configured on this server; configured: ${configured}`);
  }

  const availability = await executor.checkAvailability();
  if (!availability.available) {
    throw new PipedeckError('executor_unavailable', `executor \`${name}\` is not available: ${availability.reason}`);
  }
}

function checkSecretsSupported(executors: Map<ExecutorName, Executor>, name: ExecutorName, pipeline: Pipeline): void {
  if (executors.get(name)?.supportsSecrets) return;

  const uses = pipeline.steps.flatMap((step) =>
    step.env.filter(isSecretEnvVar).map((variable) => `step \`${step.id}\` env \`${variable.name}\``),
  );
  if (uses.length > 0) {
    throw new PipedeckError(
      'invalid_pipeline',
      `${uses.join(', ')} ${uses.length === 1 ? 'refers' : 'refer'} to a Kubernetes secret, which the \`${name}\` executor cannot read; run on the kubernetes executor or use a plain value`,
      { steps: uses },
    );
  }
}

function checkExecutorCanRun(executors: Map<ExecutorName, Executor>, name: ExecutorName, pipeline: Pipeline): void {
  const problems = executors.get(name)?.checkPipeline?.(pipeline) ?? [];
  if (problems.length > 0) {
    throw new PipedeckError('invalid_pipeline', `the \`${name}\` executor cannot run this pipeline: ${problems.join('; ')}`, { problems });
  }
}

function checkRequestShape(request: SubmitRunRequest): void {
  const { pipelineId, version, parameters, executor } = request as unknown as Record<string, unknown>;

  if (typeof pipelineId !== 'string' || pipelineId === '') {
    throw new PipedeckError('invalid_request', '`pipelineId` must be a non-empty string naming a stored pipeline');
  }
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) {
    throw new PipedeckError('invalid_request', `\`version\` must be a whole number of at least 1, got ${JSON.stringify(version)}`);
  }
  if (parameters !== undefined && (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters))) {
    throw new PipedeckError('invalid_request', '`parameters` must be an object of parameter name to value');
  }
  if (executor !== undefined && !EXECUTOR_NAMES.includes(executor as ExecutorName)) {
    throw new PipedeckError(
      'invalid_request',
      `unknown executor ${JSON.stringify(executor)}; use one of ${EXECUTOR_NAMES.join(', ')}`,
    );
  }
}
