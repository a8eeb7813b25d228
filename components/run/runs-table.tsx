'use client';

import Link from 'next/link';

import { LocalTime } from '@/components/ui/local-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { isTerminalRunStatus } from '@/lib/engine/types';
import type { RunSummary } from '@/lib/store/types';

import { elapsedMs, formatDuration } from './duration';
import { useNow } from './use-now';

const cellClass = 'px-3 py-2 align-middle';

/** Runs as table rows, newest first as given; durations of active runs tick. */
export function RunsTable({ runs }: { runs: readonly RunSummary[] }) {
  const now = useNow(runs.some((run) => !isTerminalRunStatus(run.status) && run.startedAt !== null));

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
          <th scope="col" className={cellClass}>
            Started
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
            <tr key={run.id} data-run-id={run.id} className="border-b border-slate-100 bg-white hover:bg-slate-50">
              <td className={cellClass}>
                <Link href={`/pipelines/${encodeURIComponent(run.pipelineId)}`} className="font-medium text-slate-900 hover:text-blue-700 hover:underline">
                  {run.pipelineName}
                </Link>
                <span className="ml-1.5 text-xs text-slate-400">v{run.pipelineVersion}</span>
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
              <td className={`${cellClass} tabular-nums`}>{duration !== null ? formatDuration(duration) : '—'}</td>
              <td className={cellClass}>{run.executor}</td>
              <td className={cellClass}>
                <Link href={`/runs/${encodeURIComponent(run.id)}`} className="font-mono text-xs text-blue-700 hover:underline" aria-label={`Open run ${run.id}`}>
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
