import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import type { RunWithSteps } from '@/lib/engine/types';
import type { RunSummary } from '@/lib/store/types';

import { ApiError, type RunPage } from './run-api';
import { runListQueryOptions, runQueryOptions } from './run-queries';

function runWithStatus(status: RunWithSteps['status']): RunWithSteps {
  return {
    id: 'run-1',
    pipelineId: 'p-1',
    pipelineName: 'banknote',
    pipelineVersion: 1,
    pipeline: { name: 'banknote', description: '', parameters: [], steps: [] },
    parameters: {},
    executor: 'process',
    status,
    message: null,
    createdAt: '2024-05-01T12:00:00Z',
    startedAt: null,
    finishedAt: null,
    cancelRequested: false,
    steps: [],
  };
}

function summary(id: string, status: RunSummary['status']): RunSummary {
  return {
    id,
    pipelineId: 'p-1',
    pipelineName: 'banknote',
    pipelineVersion: 1,
    executor: 'process',
    status,
    createdAt: '2024-05-01T12:00:00Z',
    startedAt: null,
    finishedAt: null,
  };
}

/** Calls a query's refetchInterval function on the query the cache holds for its key. */
function intervalFor(client: QueryClient, options: { queryKey: readonly unknown[]; refetchInterval?: unknown }): unknown {
  const query = client.getQueryCache().find({ queryKey: options.queryKey, exact: true });
  const interval = options.refetchInterval as (query: unknown) => unknown;
  return interval(query);
}

describe('runQueryOptions', () => {
  it('polls the run until it has finished', () => {
    const client = new QueryClient();
    const options = runQueryOptions('run-1');

    client.setQueryData(options.queryKey, runWithStatus('queued'));
    expect(intervalFor(client, options)).toBe(1000);

    client.setQueryData(options.queryKey, runWithStatus('running'));
    expect(intervalFor(client, options)).toBe(1000);

    client.setQueryData(options.queryKey, runWithStatus('succeeded'));
    expect(intervalFor(client, options)).toBe(false);

    client.setQueryData(options.queryKey, runWithStatus('cancelled'));
    expect(intervalFor(client, options)).toBe(false);
  });

  it('does not retry a run that does not exist', () => {
    const retry = runQueryOptions('run-1').retry as (count: number, error: Error) => boolean;

    expect(retry(0, new ApiError(404, 'not_found', 'run run-1 not found'))).toBe(false);
    expect(retry(0, new ApiError(503, 'unknown', 'unavailable'))).toBe(true);
    expect(retry(3, new ApiError(503, 'unknown', 'unavailable'))).toBe(false);
  });
});

describe('runListQueryOptions', () => {
  it('keys the query by its filters', () => {
    expect(runListQueryOptions({}).queryKey).toEqual(['runs', null, null]);
    expect(runListQueryOptions({ pipelineId: 'p-1', status: 'failed' }).queryKey).toEqual(['runs', 'p-1', 'failed']);
  });

  it('polls while any loaded run is active', () => {
    const client = new QueryClient();
    const options = runListQueryOptions({});
    const pages = (runs: RunSummary[][]) => ({
      pages: runs.map((page): RunPage => ({ runs: page, nextCursor: null })),
      pageParams: runs.map(() => null),
    });

    client.setQueryData(options.queryKey, pages([[summary('a', 'succeeded')], [summary('b', 'running')]]));
    expect(intervalFor(client, options)).toBe(3000);

    client.setQueryData(options.queryKey, pages([[summary('a', 'succeeded')], [summary('b', 'failed')]]));
    expect(intervalFor(client, options)).toBe(false);
  });

  it('reads the next cursor from the last page', () => {
    const getNext = runListQueryOptions({}).getNextPageParam;

    expect(getNext({ runs: [], nextCursor: 'c2' }, [], null, [])).toBe('c2');
    expect(getNext({ runs: [], nextCursor: null }, [], 'c2', [])).toBeNull();
  });
});
