/**
 * Browser-side calls to the runs API. Failed calls throw `ApiError` with the server's message, so
 * the UI can show what went wrong and what to do.
 */
import type { RunRecord, RunStatus, RunWithSteps } from '@/lib/engine/types';
import type { RunSummary } from '@/lib/store/types';

/** An HTTP API call that returned an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One page of the run history. */
export interface RunPage {
  runs: RunSummary[];
  nextCursor: string | null;
}

/** Filters of the run history; absent fields match every run. */
export interface RunListFilter {
  pipelineId?: string;
  status?: RunStatus;
}

/** A pipeline as offered in the history's pipeline filter. */
export interface PipelineOption {
  id: string;
  name: string;
}

/**
 * Builds the error for a response that is not OK from its `{error: {code, message, details}}`
 * body, or from the status line when the body has another shape.
 */
export async function readApiError(response: Response, action: string): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }

  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(response.status, typeof error.code === 'string' ? error.code : 'unknown', error.message, error.details);
  }
  return new ApiError(response.status, 'unknown', `${action} failed with HTTP ${response.status}`);
}

async function requestJson<T>(url: string, action: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { cache: 'no-store', ...init, headers: { accept: 'application/json', ...init?.headers } });
  if (!response.ok) {
    throw await readApiError(response, action);
  }
  return (await response.json()) as T;
}

/** Returns the URL of one page of the run history. */
export function runListUrl(filter: RunListFilter, cursor: string | null, limit: number): string {
  const query = new URLSearchParams();
  if (filter.pipelineId) query.set('pipelineId', filter.pipelineId);
  if (filter.status) query.set('status', filter.status);
  query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return `/api/runs?${query.toString()}`;
}

export function fetchRun(id: string): Promise<RunWithSteps> {
  return requestJson(`/api/runs/${encodeURIComponent(id)}`, 'loading the run');
}

export function fetchRunPage(filter: RunListFilter, cursor: string | null, limit: number): Promise<RunPage> {
  return requestJson(runListUrl(filter, cursor, limit), 'loading the run history');
}

export async function fetchPipelineOptions(): Promise<PipelineOption[]> {
  const body = await requestJson<{ pipelines: PipelineOption[] }>('/api/pipelines', 'loading the pipelines');
  return body.pipelines.map((pipeline) => ({ id: pipeline.id, name: pipeline.name }));
}

/** Asks the server to cancel a run; running steps are stopped and pending ones never start. */
export function cancelRun(id: string): Promise<RunRecord> {
  return requestJson(`/api/runs/${encodeURIComponent(id)}/cancel`, 'cancelling the run', { method: 'POST' });
}

/** Starts a new run with the same pipeline version, parameters and executor; returns the new run. */
export function rerun(id: string): Promise<RunRecord> {
  return requestJson(`/api/runs/${encodeURIComponent(id)}/retry`, 'starting the run again', { method: 'POST' });
}
