/**
 * How often the run view and the run history poll. Polling stops once nothing shown can change,
 * so an open tab on a finished run costs nothing.
 */
import { isTerminalRunStatus, type RunStatus } from '@/lib/engine/types';

import { ApiError } from './run-api';

/** Poll interval of a run that is queued or running, in milliseconds. */
export const RUN_POLL_MS = 1_000;

/** Poll interval of the run history while a listed run is active, in milliseconds. */
export const RUN_LIST_POLL_MS = 3_000;

/**
 * Returns the refetch interval for a run: every second until the run has finished, then false.
 * Stops too when the run does not exist, since polling cannot make it appear.
 */
export function runRefetchInterval(run: { status: RunStatus } | undefined, error: unknown): number | false {
  if (error instanceof ApiError && error.status === 404) {
    return false;
  }
  if (run && isTerminalRunStatus(run.status)) {
    return false;
  }
  return RUN_POLL_MS;
}

/** Returns the refetch interval for a page of the run history: polled while any listed run is active. */
export function runListRefetchInterval(runs: readonly { status: RunStatus }[] | undefined): number | false {
  if (!runs) {
    return false;
  }
  return runs.some((run) => !isTerminalRunStatus(run.status)) ? RUN_LIST_POLL_MS : false;
}
