'use client';

import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

import { STATUS_STYLES } from '@/components/ui/status-style';

import { elapsedMs, formatDuration } from './duration';
import type { StepNode } from './run-graph-model';
import { useLostContact, useRunNow } from './run-clock';

const handleClass = '!h-2 !w-2 !min-h-0 !min-w-0 !border-0 !bg-slate-400';

/** A step in the run graph: name, id, status, reason and a duration that ticks while running. */
export const StepNodeView = memo(function StepNodeView({ data, selected, sourcePosition, targetPosition }: NodeProps<StepNode>) {
  const running = data.status === 'running';
  const now = useRunNow(running);
  const lostContact = useLostContact();
  // Without contact with the server the step may have finished, so it should not look busy.
  const spinning = running && !lostContact;
  const duration = elapsedMs(data.startedAt, data.finishedAt, now);
  const style = STATUS_STYLES[data.status];
  // "succeeded · Completed" or "cancelled · Cancelled" would only repeat the status.
  const showReason =
    data.reason !== null && data.status !== 'succeeded' && data.status !== 'running' && data.reason.toLowerCase() !== data.status;

  return (
    <div
      data-status={data.status}
      className={`w-[200px] cursor-pointer rounded-lg border-2 px-3 py-2 text-left text-slate-900 shadow-sm transition-colors ${style.node} ${
        selected ? 'outline-2 outline-offset-2 outline-sky-500' : ''
      }`}
    >
      <Handle type="target" position={targetPosition ?? Position.Left} isConnectable={false} className={handleClass} />

      <div className="truncate text-sm font-semibold" title={data.name}>
        {data.name}
      </div>
      <div className="truncate font-mono text-[11px] text-slate-500" title={data.stepId}>
        {data.stepId}
      </div>

      <div className="mt-1.5 flex items-center justify-between gap-2 text-xs">
        <span className="flex min-w-0 items-center gap-1.5">
          {spinning ? (
            <span className="h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-blue-500 border-t-transparent" aria-hidden="true" />
          ) : (
            <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${style.dot}`} aria-hidden="true" />
          )}
          <span className="font-medium" data-testid="step-status">
            {style.label}
          </span>
        </span>
        {duration !== null ? <span className="shrink-0 tabular-nums text-slate-600">{formatDuration(duration)}</span> : null}
      </div>
      {/* A line of its own, so a long reason (`ProgramNotFound`) is not cut after a few letters. */}
      {showReason ? (
        <div className="mt-0.5 truncate text-[11px] text-slate-600" title={data.reason ?? undefined} data-testid="step-reason">
          {data.reason}
        </div>
      ) : null}
      {data.attemptCount > 1 ? <div className="mt-0.5 text-[11px] text-slate-500">attempt {data.attemptCount}</div> : null}

      <Handle type="source" position={sourcePosition ?? Position.Right} isConnectable={false} className={handleClass} />
    </div>
  );
});
