/**
 * React Query options of the run view and the run history, kept apart from the components so the
 * polling rules can be tested without rendering.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';

import { ApiError, fetchPipelineOptions, fetchRun, fetchRunPage, type RunListFilter } from './run-api';
import { runListRefetchInterval, runRefetchInterval } from './run-polling';

/** Runs per page of the run history. */
export const RUN_PAGE_SIZE = 50;

function retryUnlessMissing(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status === 404) {
    return false;
  }
  return failureCount < 3;
}

/** Returns the query of one run with its steps, polled every second until the run has finished. */
export function runQueryOptions(id: string) {
  return queryOptions({
    queryKey: ['run', id],
    queryFn: () => fetchRun(id),
    refetchInterval: (query) => runRefetchInterval(query.state.data, query.state.error),
    retry: retryUnlessMissing,
  });
}

/** Returns the query of the run history, page by page, polled while any loaded run is active. */
export function runListQueryOptions(filter: RunListFilter) {
  return infiniteQueryOptions({
    queryKey: ['runs', filter.pipelineId ?? null, filter.status ?? null],
    queryFn: ({ pageParam }) => fetchRunPage(filter, pageParam, RUN_PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) => runListRefetchInterval(query.state.data?.pages.flatMap((page) => page.runs)),
  });
}

/** Returns the query of the pipelines offered in the history's filter. */
export function pipelineOptionsQueryOptions() {
  return queryOptions({
    queryKey: ['pipeline-options'],
    queryFn: fetchPipelineOptions,
    staleTime: 30_000,
  });
}
