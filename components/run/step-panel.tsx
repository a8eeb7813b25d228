'use client';

import { useState, type ReactNode } from 'react';

import { LogPane } from '@/components/logs/log-pane';
import { LocalTime } from '@/components/ui/local-time';
import { StatusBadge } from '@/components/ui/status-badge';
import type { RunWithSteps, StepRunRecord } from '@/lib/engine/types';

import { elapsedMs, formatDuration } from './duration';
import { PodName } from './pod-name';
import { podRefOf } from './pod-ref';
import { StepInputs, StepOutputs } from './step-ports';
import { useRunNow } from './run-clock';

interface StepPanelProps {
  run: RunWithSteps;
  stepId: string;
  onClose: () => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}

function noLogText(record: StepRunRecord): string {
  if (record.status === 'skipped') {
    return `This step was skipped${record.reason ? ` (${record.reason})` : ''}, so it has no log.`;
  }
  if (record.status === 'cancelled') {
    return 'This step was cancelled before it started, so it has no log.';
  }
  return 'This step has not started yet. Its log appears here once it does.';
}

/**
 * Details of one step of a run: status and reason, attempts, times, inputs, outputs and the live
 * log of the chosen attempt (the latest unless a person picked another).
 */
export function StepPanel({ run, stepId, onClose }: StepPanelProps) {
  const [pickedAttempt, setPickedAttempt] = useState<number | null>(null);
  const record = run.steps.find((candidate) => candidate.stepId === stepId);
  const step = run.pipeline.steps.find((candidate) => candidate.id === stepId);

  const latestAttempt = record?.attempts.at(-1);
  const attempt = record?.attempts.find((candidate) => candidate.number === pickedAttempt) ?? latestAttempt;
  const times = attempt ?? record;
  const now = useRunNow(times !== undefined && times.startedAt !== null && times.finishedAt === null);

  if (!record) {
    return (
      <aside aria-label="Step details" className="flex w-full flex-col gap-2 p-4 text-sm">
        <p>
          Step <code>{stepId}</code> is not part of this run.
        </p>
        <button type="button" onClick={onClose} className="self-start text-sky-700 underline">
          Close
        </button>
      </aside>
    );
  }

  const duration = times ? elapsedMs(times.startedAt, times.finishedAt, now) : null;
  const reason = attempt?.reason ?? record.reason;
  const message = attempt?.message ?? record.message;
  const exitCode = attempt?.exitCode ?? record.exitCode;
  const pod = podRefOf(run.executor, attempt?.executorRef);

  return (
    <aside aria-label="Step details" className="flex h-full min-h-0 w-full flex-col bg-white">
      {/* With a log to show, the details scroll within a third of the panel and the log gets the rest. */}
      <div className={`shrink-0 overflow-y-auto border-b border-slate-200 p-4 ${attempt ? 'max-h-[34%]' : 'max-h-[70%]'}`}>
        <div className="flex items-start gap-3">
          <div className="min-w-0 flex-1">
            <h2 className="truncate text-base font-semibold" title={record.name}>
              {step?.name || record.name || record.stepId}
            </h2>
            <div className="mt-0.5 flex flex-wrap items-center gap-2">
              <code className="text-xs text-slate-500">{record.stepId}</code>
              <StatusBadge status={record.status} />
            </div>
          </div>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close step details"
            className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
          >
            ✕
          </button>
        </div>

        {message ? (
          <p
            className={`mt-3 rounded border px-3 py-2 text-xs whitespace-pre-wrap ${
              record.status === 'failed' ? 'border-red-200 bg-red-50 text-red-900' : 'border-slate-200 bg-slate-50 text-slate-800'
            }`}
            data-testid="step-message"
          >
            {message}
          </p>
        ) : null}

        <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-xs">
          {record.attempts.length > 0 ? (
            <Field label="Attempt">
              <select
                aria-label="Attempt"
                className="rounded border border-slate-300 bg-white px-1 py-0.5"
                value={attempt?.number}
                onChange={(event) => setPickedAttempt(Number(event.target.value))}
              >
                {[...record.attempts].reverse().map((candidate) => (
                  <option key={candidate.number} value={candidate.number}>
                    {candidate.number} of {record.attempts.length} · {candidate.status}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field label="Reason">{reason ?? '—'}</Field>
          <Field label="Exit code">{exitCode ?? '—'}</Field>
          <Field label="Started">{times?.startedAt ? <LocalTime iso={times.startedAt} /> : '—'}</Field>
          <Field label="Finished">{times?.finishedAt ? <LocalTime iso={times.finishedAt} /> : '—'}</Field>
          <Field label="Duration">
            <span className="tabular-nums">{duration !== null ? formatDuration(duration) : '—'}</span>
          </Field>
          {pod ? (
            <Field label="Pod">
              <PodName key={`${pod.namespace}/${pod.podName}`} pod={pod} />
            </Field>
          ) : null}
          {step ? (
            <Field label="Image">
              <code className="break-all">{step.image || '—'}</code>
            </Field>
          ) : null}
        </dl>

        <h3 className="mt-4 mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Inputs</h3>
        <StepInputs step={step} record={record} />
        <h3 className="mt-4 mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Outputs</h3>
        <StepOutputs step={step} record={record} />
      </div>

      <div className="flex min-h-[240px] flex-1 flex-col p-3">
        {attempt ? (
          <LogPane key={`${record.stepId}/${attempt.number}`} runId={run.id} stepId={record.stepId} attempt={attempt.number} />
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-500">{noLogText(record)}</p>
        )}
      </div>
    </aside>
  );
}
