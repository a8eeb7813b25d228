'use client';

import Link from 'next/link';

import { LocalTime } from '@/components/ui/local-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { isTerminalRunStatus, type RunWithSteps } from '@/lib/engine/types';

import { elapsedMs, formatDuration } from './duration';
import { formatValue } from './input-source';
import { RunActions } from './run-actions';
import { useRunNow } from './run-clock';

/** Shows the pipeline, status, executor, times, parameters and actions of a run. */
export function RunHeader({ run }: { run: RunWithSteps }) {
  const active = !isTerminalRunStatus(run.status);
  const now = useRunNow(active && run.startedAt !== null);
  const duration = elapsedMs(run.startedAt, run.finishedAt, now);
  const parameters = Object.entries(run.parameters);

  return (
    <header className="shrink-0 border-b border-slate-200 bg-white px-4 py-3">
      <div className="flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <nav aria-label="Breadcrumb" className="text-xs text-slate-500">
            <Link href="/runs" className="hover:text-slate-900 hover:underline">
              Runs
            </Link>{' '}
            / <span className="font-mono">{run.id}</span>
          </nav>
          <div className="mt-0.5 flex flex-wrap items-center gap-3">
            <h1 className="text-lg font-semibold">
              <Link href={`/pipelines/${encodeURIComponent(run.pipelineId)}`} className="text-slate-900 hover:text-blue-700 hover:underline">
                {run.pipelineName}
              </Link>
            </h1>
            <span className="text-xs text-slate-500">version {run.pipelineVersion}</span>
            <StatusBadge status={run.status} className="text-sm" />
            {run.cancelRequested && active ? <span className="text-xs text-amber-700">cancel requested</span> : null}
          </div>
        </div>
        <RunActions run={run} />
      </div>

      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs">
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Run</dt>
          <dd className="font-mono" data-testid="run-id">
            {run.id}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Executor</dt>
          <dd data-testid="run-executor">{run.executor}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Created</dt>
          <dd>
            <LocalTime iso={run.createdAt} />
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Started</dt>
          <dd>{run.startedAt ? <LocalTime iso={run.startedAt} /> : 'not yet'}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Duration</dt>
          <dd className="tabular-nums" data-testid="run-duration">
            {duration !== null ? formatDuration(duration) : '—'}
          </dd>
        </div>
      </dl>

      {parameters.length > 0 ? (
        <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs" aria-label="Parameters" role="group">
          <span className="text-slate-500">Parameters</span>
          {parameters.map(([name, value]) => (
            <span key={name} className="max-w-md truncate rounded border border-slate-200 bg-slate-50 px-1.5 py-0.5 font-mono" title={formatValue(value)}>
              {name} = {formatValue(value)}
            </span>
          ))}
        </div>
      ) : null}

      {run.executor === 'process' ? (
        <p className="mt-2 text-xs text-slate-600" data-testid="process-executor-note">
          Executor <code>process</code>: steps run as processes on the Pipedeck host, so their container images are not used.
        </p>
      ) : null}

      {run.message ? (
        <p
          role={run.status === 'failed' ? 'alert' : undefined}
          className={`mt-2 rounded border px-3 py-1.5 text-xs whitespace-pre-wrap ${
            run.status === 'failed' ? 'border-red-200 bg-red-50 text-red-900' : 'border-slate-200 bg-slate-50 text-slate-700'
          }`}
        >
          {run.message}
        </p>
      ) : null}
    </header>
  );
}
