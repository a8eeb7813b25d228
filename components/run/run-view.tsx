'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

import { LocalTime } from '@/components/ui/local-time';

import { ApiError } from './run-api';
import { RunClockProvider } from './run-clock';
import { RunGraph } from './run-graph';
import { RunHeader } from './run-header';
import { runQueryOptions } from './run-queries';
import { StepPanel } from './step-panel';
import { withQueryChanges } from './url-query';

/**
 * Shows one run: header, live graph, and the details and log of the step chosen in the graph.
 * The chosen step is kept in the URL (`?step=<id>`) so a link opens the same view.
 */
export function RunView({ runId }: { runId: string }) {
  const query = useQuery(runQueryOptions(runId));
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const selectedStepId = searchParams.get('step');

  // The native History API updates the URL without a server round trip; Next.js keeps
  // useSearchParams in step with it.
  const selectStep = useCallback(
    (stepId: string | null) => {
      window.history.replaceState(null, '', withQueryChanges(pathname, window.location.search, { step: stepId }));
    },
    [pathname],
  );
  const closePanel = useCallback(() => selectStep(null), [selectStep]);

  if (query.isPending) {
    return <p className="p-6 text-sm text-slate-500">Loading run {runId}…</p>;
  }

  // A failed background refetch keeps the last data, so the view stays and shows a notice instead.
  if (query.data === undefined) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div role="alert" className="m-6 max-w-xl rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        <p className="font-semibold">{missing ? `Run ${runId} not found` : 'The run could not be loaded'}</p>
        <p className="mt-1">
          {missing ? 'It may have been deleted, or the link is wrong.' : query.error?.message}
        </p>
        <Link href="/runs" className="mt-2 inline-block text-red-800 underline">
          Back to all runs
        </Link>
      </div>
    );
  }

  const run = query.data;
  // A failed poll stays failed through its retries, and `failureReason` covers the first of them.
  let updateError: Error | null = null;
  if (query.isError) {
    updateError = query.error;
  } else if (query.failureCount > 0) {
    updateError = query.failureReason;
  }
  const lastContactAt = updateError ? query.dataUpdatedAt : null;

  return (
    <RunClockProvider lastContactAt={lastContactAt}>
      <div className="flex min-h-0 flex-1 flex-col">
        {updateError ? <ContactBanner error={updateError} lastContactAt={query.dataUpdatedAt} /> : null}
        <RunHeader run={run} />
        <div className="flex min-h-0 flex-1">
          <section aria-label="Run graph" className="relative min-w-0 flex-1">
            <RunGraph pipeline={run.pipeline} steps={run.steps} selectedStepId={selectedStepId} onSelectStep={selectStep} />
          </section>
          {selectedStepId ? (
            <div className="flex w-[46%] max-w-[760px] min-w-[380px] border-l border-slate-200">
              <StepPanel key={selectedStepId} run={run} stepId={selectedStepId} onClose={closePanel} />
            </div>
          ) : null}
        </div>
      </div>
    </RunClockProvider>
  );
}

/**
 * Says that the run shown may be out of date: "Lost contact" when the server did not respond at
 * all, or the server's own message when it responded with an error.
 */
function ContactBanner({ error, lastContactAt }: { error: Error; lastContactAt: number }) {
  const lastContact = <LocalTime iso={new Date(lastContactAt).toISOString()} />;
  return (
    <p role="alert" className="shrink-0 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900" data-testid="contact-banner">
      {error instanceof ApiError ? (
        <>
          <span className="font-semibold">Live updates paused:</span> {error.message}. Retrying…
        </>
      ) : (
        <span className="font-semibold">Lost contact with the server; retrying…</span>
      )}{' '}
      Statuses and durations are as of {lastContact} and stand still until the server answers.
    </p>
  );
}
