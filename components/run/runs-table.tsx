'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { MouseEvent } from 'react';

import { LocalTime } from '@/components/ui/local-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { isTerminalRunStatus } from '@/lib/engine/types';
import type { RunSummary } from '@/lib/store/types';

import { elapsedMs, formatDuration } from './duration';
import { browserTimeZone } from './time-zone';
import { useRunNow } from './run-clock';

const cellClass = 'px-3 py-2 align-middle';

function runHref(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

/**
 * Runs as table rows, newest first as given; durations of active runs tick. A click anywhere on a
 * row opens the run, except on the pipeline name, which opens the pipeline. The run id stays a
 * link, for the keyboard and for opening a run in a new tab.
 */
export function RunsTable({ runs }: { runs: readonly RunSummary[] }) {
  const now = useRunNow(runs.some((run) => !isTerminalRunStatus(run.status) && run.startedAt !== null));
  const router = useRouter();

  function openRun(event: MouseEvent<HTMLTableRowElement>, runId: string) {
    // Links in the row do their own navigation, and a drag that selected text is not a click.
    if ((event.target as Element).closest('a, button') || window.getSelection()?.toString()) return;
    if (event.ctrlKey || event.metaKey) {
      window.open(runHref(runId), '_blank', 'noopener');
      return;
    }
    router.push(runHref(runId));
  }

  return (
    <table className="w-full border-collapse text-sm">
      <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-500">
        <tr>
          <th scope="col" className={cellClass}>
            Pipeline
          </th>
          <th scope="col" className={cellClass}>
            Status
          </th>
          <th scope="col" className={`${cellClass} whitespace-nowrap`}>
            Started <span className="font-normal">({browserTimeZone()})</span>
          </th>
          <th scope="col" className={cellClass}>
            Duration
          </th>
          <th scope="col" className={cellClass}>
            Executor
          </th>
          <th scope="col" className={cellClass}>
            Run
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const duration = elapsedMs(run.startedAt, run.finishedAt, now);
          return (
            <tr
              key={run.id}
              data-run-id={run.id}
              onClick={(event) => openRun(event, run.id)}
              className="cursor-pointer border-b border-slate-100 bg-white hover:bg-slate-50"
            >
              {/* w-full with max-w-0 gives the name the width the other columns leave, so a long name is cut. */}
              <td className={`${cellClass} w-full max-w-0`}>
                <div className="flex min-w-0 items-baseline gap-1.5">
                  <Link
                    href={`/pipelines/${encodeURIComponent(run.pipelineId)}`}
                    className="truncate font-medium text-blue-700 hover:underline"
                    title={run.pipelineName}
                  >
                    {run.pipelineName}
                  </Link>
                  <span className="shrink-0 text-xs text-slate-400">v{run.pipelineVersion}</span>
                </div>
              </td>
              <td className={cellClass}>
                <StatusBadge status={run.status} />
              </td>
              <td className={`${cellClass} whitespace-nowrap tabular-nums`}>
                {run.startedAt ? (
                  <LocalTime iso={run.startedAt} />
                ) : (
                  <span className="text-slate-500">
                    created <LocalTime iso={run.createdAt} />
                  </span>
                )}
              </td>
              <td className={`${cellClass} whitespace-nowrap tabular-nums`}>{duration !== null ? formatDuration(duration) : '—'}</td>
              <td className={cellClass}>{run.executor}</td>
              <td className={cellClass}>
                <Link href={runHref(run.id)} className="font-mono text-xs text-blue-700 hover:underline" aria-label={`Open run ${run.id}`}>
                  {run.id}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
