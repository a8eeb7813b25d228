'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { isTerminalRunStatus, type RunWithSteps } from '@/lib/engine/types';

import { cancelRun, rerun } from './run-api';
import { runQueryOptions } from './run-queries';

const buttonClass = 'rounded-md border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50';

/** Shows "Cancel run" (only while the run is active, with a confirmation) and "Run again". */
export function RunActions({ run }: { run: RunWithSteps }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const active = !isTerminalRunStatus(run.status);

  const cancel = useMutation({
    mutationFn: () => cancelRun(run.id),
    onSuccess: () => {
      setConfirming(false);
      return queryClient.invalidateQueries({ queryKey: runQueryOptions(run.id).queryKey });
    },
  });
  const runAgain = useMutation({
    mutationFn: () => rerun(run.id),
    onSuccess: (newRun) => {
      void queryClient.invalidateQueries({ queryKey: ['runs'] });
      router.push(`/runs/${encodeURIComponent(newRun.id)}`);
    },
  });
  const error = cancel.error ?? runAgain.error;

  return (
    <div className="relative flex flex-col items-end gap-1">
      <div className="flex gap-2">
        {active ? (
          <button
            type="button"
            className={`${buttonClass} border-red-300 bg-white text-red-700 hover:bg-red-50`}
            onClick={() => setConfirming(true)}
            disabled={cancel.isPending || run.cancelRequested}
          >
            {run.cancelRequested || cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        ) : null}
        <button
          type="button"
          className={`${buttonClass} border-blue-600 bg-blue-600 text-white hover:bg-blue-700`}
          onClick={() => runAgain.mutate()}
          disabled={runAgain.isPending}
        >
          {runAgain.isPending ? 'Starting…' : 'Run again'}
        </button>
      </div>

      {confirming && active ? (
        <div
          role="alertdialog"
          aria-labelledby="cancel-run-title"
          aria-describedby="cancel-run-text"
          className="absolute top-full right-0 z-20 mt-2 w-80 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg"
        >
          <p id="cancel-run-title" className="font-semibold">
            Cancel this run?
          </p>
          <p id="cancel-run-text" className="mt-1 text-slate-600">
            Running steps are stopped and steps that have not started never start. This cannot be undone.
          </p>
          <div className="mt-3 flex justify-end gap-2">
            <button type="button" className={`${buttonClass} border-slate-300 bg-white hover:bg-slate-50`} onClick={() => setConfirming(false)} autoFocus>
              Keep running
            </button>
            <button
              type="button"
              className={`${buttonClass} border-red-600 bg-red-600 text-white hover:bg-red-700`}
              onClick={() => cancel.mutate()}
              disabled={cancel.isPending}
            >
              Yes, cancel run
            </button>
          </div>
        </div>
      ) : null}

      {error ? (
        <p role="alert" className="max-w-sm text-right text-xs text-red-700">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
