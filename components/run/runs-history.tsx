'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

import { RUN_STATUSES, type RunStatus } from '@/lib/engine/types';

import type { RunListFilter } from './run-api';
import { RunClockProvider } from './run-clock';
import { pipelineOptionsQueryOptions, runListQueryOptions } from './run-queries';
import { RunsTable } from './runs-table';
import { withQueryChanges } from './url-query';

function isRunStatus(value: string | null): value is RunStatus {
  return (RUN_STATUSES as readonly (string | null)[]).includes(value);
}

const selectClass = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm';

/** Maximum length of a pipeline name shown whole in the filter's options; longer ones end in "…". */
const OPTION_NAME_MAX = 60;

function optionLabel(name: string): string {
  return name.length > OPTION_NAME_MAX ? `${name.slice(0, OPTION_NAME_MAX - 1)}…` : name;
}

/**
 * Lists every run, newest first, filtered by pipeline and status. The filters live in the URL
 * (`?pipelineId=&status=`), pages load on demand, and the list refreshes while a run is active.
 */
export function RunsHistory() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const statusParam = searchParams.get('status');
  const filter: RunListFilter = {
    pipelineId: searchParams.get('pipelineId') || undefined,
    status: isRunStatus(statusParam) ? statusParam : undefined,
  };
  const filtered = filter.pipelineId !== undefined || filter.status !== undefined;

  const runs = useInfiniteQuery(runListQueryOptions(filter));
  const pipelines = useQuery(pipelineOptionsQueryOptions());

  // pushState keeps each filter change in the history, so Back restores the previous filter.
  function setFilter(changes: Record<string, string | null>) {
    window.history.pushState(null, '', withQueryChanges(pathname, window.location.search, changes));
  }

  const pipelineOptions = pipelines.data ?? [];
  // A filter on a deleted pipeline still needs its option, or the select would show "All pipelines".
  const unknownPipeline = filter.pipelineId && !pipelineOptions.some((pipeline) => pipeline.id === filter.pipelineId);
  const allRuns = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const chosenPipelineName = pipelineOptions.find((pipeline) => pipeline.id === filter.pipelineId)?.name;

  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 p-6">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="mr-auto text-xl font-semibold">Runs</h1>
        <label className="flex min-w-0 flex-col gap-1 text-xs text-slate-600">
          Pipeline
          {/* A fixed width keeps a long pipeline name from pushing the other filter off the row. */}
          <select
            className={`${selectClass} w-72 max-w-full truncate`}
            value={filter.pipelineId ?? ''}
            title={chosenPipelineName}
            onChange={(event) => setFilter({ pipelineId: event.target.value })}
          >
            <option value="">All pipelines</option>
            {pipelineOptions.map((pipeline) => (
              <option key={pipeline.id} value={pipeline.id} title={pipeline.name}>
                {optionLabel(pipeline.name)}
              </option>
            ))}
            {unknownPipeline ? <option value={filter.pipelineId}>{filter.pipelineId}</option> : null}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-slate-600">
          Status
          <select className={selectClass} value={filter.status ?? ''} onChange={(event) => setFilter({ status: event.target.value })}>
            <option value="">All statuses</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
      </div>

      {pipelines.isError ? (
        <p role="status" className="text-xs text-amber-800">
          The pipeline filter could not load its list: {pipelines.error.message}
        </p>
      ) : null}

      {runs.isPending ? (
        <p className="text-sm text-slate-500">Loading runs…</p>
      ) : runs.data === undefined ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-semibold">The run history could not be loaded</p>
          <p className="mt-1">{runs.error?.message}</p>
          <button type="button" className="mt-2 underline" onClick={() => void runs.refetch()}>
            Try again
          </button>
        </div>
      ) : allRuns.length === 0 ? (
        <div className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {filtered ? (
            <>
              <p>No runs match these filters.</p>
              <button type="button" className="mt-2 text-blue-700 underline" onClick={() => setFilter({ pipelineId: null, status: null })}>
                Clear filters
              </button>
            </>
          ) : (
            <>
              <p>No runs yet.</p>
              <p className="mt-1">
                Open a pipeline in{' '}
                <Link href="/pipelines" className="text-blue-700 underline">
                  Pipelines
                </Link>{' '}
                and click Run; every run is listed here.
              </p>
            </>
          )}
        </div>
      ) : (
        <>
          {runs.isError ? (
            <p role="status" className="text-xs text-amber-800">
              Refreshing failed: {runs.error.message}. The list below may be out of date, and its durations stand still until the server answers.
            </p>
          ) : null}
          <div className="overflow-x-auto rounded-md border border-slate-200">
            <RunClockProvider lastContactAt={runs.isError ? runs.dataUpdatedAt : null}>
              <RunsTable runs={allRuns} />
            </RunClockProvider>
          </div>
          {runs.hasNextPage ? (
            <button
              type="button"
              className="self-center rounded-md border border-slate-300 bg-white px-4 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50"
              onClick={() => void runs.fetchNextPage()}
              disabled={runs.isFetchingNextPage}
            >
              {runs.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : (
            <p className="self-center text-xs text-slate-500">
              {allRuns.length} {allRuns.length === 1 ? 'run' : 'runs'}, all shown
            </p>
          )}
        </>
      )}
    </div>
  );
}
