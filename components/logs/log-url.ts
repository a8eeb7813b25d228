/** URLs of the step log endpoint. */

/**
 * Returns the URL of one attempt's log. With `offset`, the server returns only the bytes after it;
 * without, the whole log (what the "Raw log" link opens).
 */
export function stepLogUrl(runId: string, stepId: string, attempt: number, offset?: number): string {
  const query = new URLSearchParams({ attempt: String(attempt) });
  if (offset !== undefined) {
    query.set('offset', String(offset));
  }
  return `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}/logs?${query.toString()}`;
}
