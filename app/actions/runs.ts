'use server';

/** Server action behind the editor's Run dialog. */
import { revalidatePath } from 'next/cache';

import type { JsonValue } from '@/lib/pipeline/schema';
import { startRun } from '@/lib/server/runs-service';

import { actionFailure } from './action-errors';
import type { ActionResult } from './action-types';

/** What the Run dialog submits; the server checks it again (schema, parameters, executor). */
export interface StartRunRequest {
  pipelineId: string;
  version?: number;
  parameters?: Record<string, JsonValue>;
  executor?: string;
}

/**
 * Starts a run and returns its id. Bad parameters fail with `invalid_parameters` and details
 * `{name, message}[]`, so the dialog can show each message next to its field.
 */
export async function startRunAction(request: StartRunRequest): Promise<ActionResult<{ runId: string }>> {
  let runId: string;
  try {
    runId = (await startRun(request)).id;
  } catch (error) {
    return actionFailure(error, 'startRun');
  }
  revalidatePath('/pipelines');
  return { ok: true, data: { runId } };
}
