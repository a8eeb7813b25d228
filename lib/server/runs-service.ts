/**
 * Run operations shared by the route handlers and the UI's server actions. Inputs arrive as
 * `unknown` (a JSON body, a query string or a form) and are checked with zod here.
 */
import 'server-only';

import { z } from 'zod';

import { EXECUTOR_NAMES, RUN_STATUSES, type RunRecord, type RunWithSteps } from '../engine/types';
import { PipedeckError } from '../errors';
import type { RunSummary } from '../store/types';
import { getEngine, getStore } from './context';
import { assertRecordId } from './pipelines-service';

const recordId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an id: lower-case letters, digits and "-"');

/** Body of `POST /api/runs`. */
export const startRunSchema = z
  .object({
    pipelineId: recordId,
    version: z.number().int().min(1).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    executor: z.enum(EXECUTOR_NAMES, { error: `must be one of ${EXECUTOR_NAMES.join(', ')}` }).optional(),
  })
  .strict();
export type StartRunInput = z.infer<typeof startRunSchema>;

/** Query of `GET /api/runs`; numbers may arrive as query-string text. */
export const runListQuerySchema = z
  .object({
    pipelineId: recordId.optional(),
    status: z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Lists the executors and whether each can run steps now. */
export type ExecutorInfo = { name: string; available: boolean; detail: string };

/**
 * Starts a run of a pipeline version (the latest when `version` is absent).
 *
 * @throws ZodError for a malformed input; PipedeckError from the engine for an unknown pipeline,
 *   a pipeline with validation problems, bad parameters or an unavailable executor.
 */
export async function startRun(input: unknown): Promise<RunRecord> {
  const request = startRunSchema.parse(input);
  const engine = await getEngine();
  return engine.submitRun(request);
}

/**
 * Returns a run with its steps and their attempts.
 *
 * @throws PipedeckError('not_found')
 */
export function getRun(id: string): RunWithSteps {
  assertRecordId('run', id);
  const run = getStore().getRun(id);
  if (!run) throw new PipedeckError('not_found', `run ${id} not found`);
  return run;
}

/**
 * Lists runs, newest first, one page at a time.
 *
 * @throws ZodError for a malformed query; PipedeckError('invalid_request') for a cursor this server did not issue.
 */
export function listRuns(query: unknown): { runs: RunSummary[]; nextCursor: string | null } {
  const parsed = runListQuerySchema.parse(query);
  return getStore().listRuns(parsed);
}

/**
 * Asks the engine to cancel a run: running steps are stopped, pending ones never start. A run that
 * already ended is returned unchanged.
 *
 * @throws PipedeckError('not_found')
 */
export async function cancelRun(id: string): Promise<RunRecord> {
  assertRecordId('run', id);
  const engine = await getEngine();
  return engine.cancelRun(id);
}

/**
 * Starts a new run with the same pipeline version, parameters and executor as run `id`.
 *
 * @throws PipedeckError('not_found')
 */
export async function rerun(id: string): Promise<RunRecord> {
  assertRecordId('run', id);
  const engine = await getEngine();
  return engine.rerun(id);
}

/** Lists the executors this server has and whether each can run steps now. */
export async function listExecutors(): Promise<ExecutorInfo[]> {
  const engine = await getEngine();
  return engine.listExecutors();
}
