/** Which executor the Run dialog selects, and whether a run can start with it. */

/** An executor as `GET /api/executors` lists it; `detail` is the reason when it is unavailable. */
export interface ExecutorInfo {
  name: string;
  available: boolean;
  detail: string;
}

/** The executor the Run dialog shows as selected. */
export interface ExecutorChoice {
  /** Executor to send with the run; null leaves the choice to the server. */
  executor: string | null;
  /** Why a run cannot start with `executor`, as a sentence for the person; null when it can. */
  blocked: string | null;
}

/**
 * Picks the executor for a run: the one the person chose in this dialog, else the one remembered for
 * the pipeline, else the first available one.
 *
 * A remembered executor that is unavailable stays selected and blocks the run, because quietly
 * switching to another executor would run the pipeline somewhere the person did not ask for (e.g. on
 * the host instead of the cluster). When the list failed to load (`executors` undefined), the
 * remembered executor is still sent and the server rejects it if it cannot run steps.
 */
export function chooseExecutor(
  executors: readonly ExecutorInfo[] | undefined,
  remembered: string | null,
  chosen: string | null,
): ExecutorChoice {
  if (executors === undefined) return { executor: chosen ?? remembered, blocked: null };

  const selected = chosen ?? remembered ?? executors.find((candidate) => candidate.available)?.name ?? null;
  if (selected === null) return { executor: null, blocked: null };

  const info = executors.find((candidate) => candidate.name === selected);
  if (info?.available) return { executor: selected, blocked: null };

  const reason = info ? info.detail : 'this server does not offer it';
  return { executor: selected, blocked: `${selected} is not available: ${reason}. Choose another executor to run now.` };
}
