'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { startRunAction } from '@/app/actions/runs';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { isPipedeckError } from '@/lib/errors';
import { resolveParameters, type ParameterProblem } from '@/lib/pipeline/parameters';
import type { Pipeline, PipelineParameter } from '@/lib/pipeline/schema';

import { chooseExecutor, type ExecutorInfo } from './executor-choice';
import { INPUT_CLASS } from './form-fields';
import { formatTypedValue } from './typed-value-field';

/** localStorage key of the executor last used to run a pipeline. */
export function executorStorageKey(pipelineId: string): string {
  return `pipedeck.executor.${pipelineId}`;
}

async function fetchExecutors(): Promise<ExecutorInfo[]> {
  const response = await fetch('/api/executors', { cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as { executors?: ExecutorInfo[]; error?: { message?: string } } | null;
  if (!response.ok || !body?.executors) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body.executors;
}

function readStoredExecutor(pipelineId: string): string | null {
  try {
    return window.localStorage.getItem(executorStorageKey(pipelineId));
  } catch {
    return null;
  }
}

/** Returns the field value a parameter starts with: its default as text, or a checkbox state. */
function initialValue(parameter: PipelineParameter): string | boolean {
  if (parameter.type === 'boolean') return parameter.default === true;
  return formatTypedValue(parameter.type, parameter.default);
}

/**
 * The Run dialog: the pipeline's parameters as typed fields with their defaults filled in, and the
 * executor to use. Unavailable executors are listed but disabled, and the last choice per pipeline
 * is remembered. A remembered executor that is unavailable stays selected and blocks Start run until
 * the person picks another, so a run never lands on a different executor unasked. Parameters are checked here and again by the server, and each problem is shown
 * next to its field. On success the browser goes to the new run.
 */
export function RunDialog({
  open,
  onClose,
  pipelineId,
  pipeline,
  version,
}: {
  open: boolean;
  onClose: () => void;
  pipelineId: string;
  pipeline: Pipeline;
  /** The saved version to run. */
  version: number;
}) {
  const router = useRouter();
  const formId = useId();
  const executors = useQuery({ queryKey: ['executors'], queryFn: fetchExecutors, enabled: open });
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(pipeline.parameters.map((parameter) => [parameter.name, initialValue(parameter)])),
  );
  const [chosenExecutor, setChosenExecutor] = useState<string | null>(null);
  const [problems, setProblems] = useState<ParameterProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const available = (executors.data ?? []).filter((executor) => executor.available);
  const stored = open && typeof window !== 'undefined' ? readStoredExecutor(pipelineId) : null;
  const { executor, blocked } = chooseExecutor(executors.data, stored, chosenExecutor);
  const listed = executors.data ?? [];
  // The select must show the selected executor even when the list lacks it (not offered, or not loaded).
  const unlisted = executor && !listed.some((candidate) => candidate.name === executor) ? executor : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (blocked) return;

    const raw: Record<string, unknown> = {};
    for (const parameter of pipeline.parameters) {
      const value = values[parameter.name];
      // A blank text field for a parameter without a default means "not given", so it is reported as missing.
      if (value === '' && parameter.default === undefined) continue;
      raw[parameter.name] = value;
    }

    let parameters;
    try {
      parameters = resolveParameters(pipeline, raw);
    } catch (caught) {
      if (isPipedeckError(caught) && Array.isArray(caught.details)) {
        setProblems(caught.details as ParameterProblem[]);
        return;
      }
      throw caught;
    }
    setProblems([]);

    setStarting(true);
    const result = await startRunAction({ pipelineId, version, parameters, ...(executor ? { executor } : {}) });
    if (!result.ok) {
      setStarting(false);
      if (result.error.code === 'invalid_parameters' && Array.isArray(result.error.details)) {
        setProblems(result.error.details as ParameterProblem[]);
      }
      setError(result.error.message);
      return;
    }

    try {
      if (executor) window.localStorage.setItem(executorStorageKey(pipelineId), executor);
    } catch {
      // Storage may be disabled; the choice is then simply not remembered.
    }
    router.push(`/runs/${result.data.runId}`);
  };

  const problemOf = (name: string) => problems.find((problem) => problem.name === name)?.message;
  const noExecutor = executors.isSuccess && available.length === 0;

  return (
    <Dialog open={open} title={`Run “${pipeline.name}”`} onClose={onClose} className="max-w-lg">
      <form id={formId} onSubmit={onSubmit} className="flex flex-col gap-3">
        <p className="text-xs text-slate-600">Runs version {version} of this pipeline.</p>
        {pipeline.parameters.length === 0 ? <p className="text-sm text-slate-600">This pipeline has no parameters.</p> : null}
        {pipeline.parameters.map((parameter) => (
          <ParameterInput
            key={parameter.name}
            parameter={parameter}
            value={values[parameter.name] ?? ''}
            problem={problemOf(parameter.name)}
            onChange={(value) => setValues((previous) => ({ ...previous, [parameter.name]: value }))}
          />
        ))}

        <div className="flex flex-col gap-1">
          <label htmlFor={`${formId}-executor`} className="text-xs font-medium text-slate-700">
            Executor
          </label>
          <select
            id={`${formId}-executor`}
            value={executor ?? ''}
            onChange={(event) => setChosenExecutor(event.target.value)}
            disabled={executors.isPending || noExecutor}
            aria-invalid={blocked ? true : undefined}
            aria-describedby={blocked ? `${formId}-executor-blocked` : undefined}
            className={INPUT_CLASS}
          >
            {executors.isPending ? <option value="">Loading executors…</option> : null}
            {executors.isError ? <option value="">Server default</option> : null}
            {unlisted ? (
              <option value={unlisted} disabled={executors.isSuccess}>
                {unlisted} — {executors.isSuccess ? 'not offered by this server' : 'last used for this pipeline'}
              </option>
            ) : null}
            {listed.map((candidate) => (
              <option key={candidate.name} value={candidate.name} disabled={!candidate.available}>
                {candidate.name} — {candidate.available ? candidate.detail : `unavailable: ${candidate.detail}`}
              </option>
            ))}
          </select>
          {blocked ? (
            <p id={`${formId}-executor-blocked`} role="alert" className="text-[11px] text-red-700">
              {blocked}
            </p>
          ) : null}
          {executors.isError ? (
            <p className="text-[11px] text-amber-800">Could not load the executors ({executors.error.message}); the server uses its default.</p>
          ) : null}
          {noExecutor ? <p className="text-[11px] text-red-700">No executor can run steps on this server right now.</p> : null}
        </div>

        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={starting || noExecutor || blocked !== null || executors.isPending}>
            {starting ? 'Starting…' : 'Start run'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ParameterInput({
  parameter,
  value,
  problem,
  onChange,
}: {
  parameter: PipelineParameter;
  value: string | boolean;
  problem: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const notes = [parameter.description ? `${id}-description` : '', problem ? `${id}-problem` : ''].join(' ').trim() || undefined;
  const typeNote = `(${parameter.type}${parameter.default === undefined ? ', required' : ''})`;

  return (
    <div className="flex flex-col gap-1">
      {parameter.type === 'boolean' ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} aria-describedby={notes} />
          <span className="font-mono">{parameter.name}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id} className="text-xs font-medium text-slate-700">
            <span className="font-mono">{parameter.name}</span> <span className="font-normal text-slate-500">{typeNote}</span>
          </label>
          {parameter.type === 'json' ? (
            <textarea
              id={id}
              value={String(value)}
              rows={3}
              onChange={(event) => onChange(event.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={notes}
              className={`${INPUT_CLASS} font-mono text-xs`}
            />
          ) : (
            <input
              id={id}
              type={parameter.type === 'number' ? 'number' : 'text'}
              step={parameter.type === 'number' ? 'any' : undefined}
              value={String(value)}
              onChange={(event) => onChange(event.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={notes}
              className={INPUT_CLASS}
            />
          )}
        </>
      )}
      {parameter.description ? (
        <p id={`${id}-description`} className="text-[11px] text-slate-500">
          {parameter.description}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} role="alert" className="text-[11px] text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
