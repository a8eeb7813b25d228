'use client';

import { useState } from 'react';

import type { ValidationIssue } from '@/lib/pipeline/issues';
import type { Step } from '@/lib/pipeline/schema';

import { CheckboxField, TextField } from './form-fields';
import { applyPatch } from './patch';
import type { StepPatch } from './step-edits';
import { editLimit, editRunAsNonRoot, limitText, runsAsNonRoot, type LimitField } from './step-limits';

const FIELDS: readonly { field: LimitField; label: string; placeholder: string }[] = [
  { field: 'timeoutSeconds', label: 'Timeout (seconds)', placeholder: 'none' },
  { field: 'resources.limits.gpu', label: 'GPUs', placeholder: 'none' },
  { field: 'resources.requests.cpu', label: 'CPU request', placeholder: 'e.g. 500m' },
  { field: 'resources.limits.cpu', label: 'CPU limit', placeholder: 'e.g. 2' },
  { field: 'resources.requests.memory', label: 'Memory request', placeholder: 'e.g. 512Mi' },
  { field: 'resources.limits.memory', label: 'Memory limit', placeholder: 'e.g. 1Gi' },
];

/**
 * The collapsible "Limits and security" section of a step: timeout, CPU, memory and GPUs, and who
 * the container runs as. Every change writes to the pipeline at once, like the other step fields.
 * The parent keys it by step id, so its open state and drafts belong to one step.
 */
export function LimitsSection({
  step,
  issues,
  update,
}: {
  step: Step;
  issues: readonly ValidationIssue[];
  update: (patch: StepPatch) => void;
}) {
  // The issue names the step and field for the problems list; next to the field, the rule is enough.
  const errorOf = (field: LimitField) =>
    issues.find((issue) => issue.field === field)?.message.replace(`step \`${step.id}\`: ${field} `, '');
  const hasSettings = step.timeoutSeconds !== undefined || step.resources !== undefined || step.security !== undefined;
  const [open, setOpen] = useState(hasSettings || FIELDS.some(({ field }) => errorOf(field) !== undefined));

  return (
    <details
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      className="border-t border-slate-200 px-4 py-3"
    >
      <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500">Limits and security</summary>
      <div className="mt-2 flex flex-col gap-3">
        <p className="text-[11px] text-slate-500">These apply on the kubernetes executor; the process executor enforces only the timeout.</p>
        <div className="grid grid-cols-2 gap-x-2 gap-y-3">
          {FIELDS.map(({ field, label, placeholder }) => (
            <LimitInput key={field} step={step} field={field} label={label} placeholder={placeholder} error={errorOf(field)} update={update} />
          ))}
        </div>
        <CheckboxField label="Run as non-root" checked={runsAsNonRoot(step)} onChange={(checked) => update(editRunAsNonRoot(step, checked))} />
        <LimitInput
          step={step}
          field="security.runAsUser"
          label="Run as user (uid)"
          placeholder="image default"
          error={errorOf('security.runAsUser')}
          update={update}
        />
      </div>
    </details>
  );
}

/**
 * One limit field. The text typed is kept as a draft while it matches the stored value, so `1.0`
 * or `007` are not rewritten under the cursor, and text that is no number shows its error here.
 */
function LimitInput({
  step,
  field,
  label,
  placeholder,
  error,
  update,
}: {
  step: Step;
  field: LimitField;
  label: string;
  placeholder: string;
  error: string | undefined;
  update: (patch: StepPatch) => void;
}) {
  const stored = limitText(step, field);
  const [draft, setDraft] = useState<{ text: string; stored: string; error?: string } | null>(null);
  // A draft is stale once the stored value changed some other way, e.g. by another edit of the step.
  const current = draft !== null && draft.stored === stored ? draft : null;

  const onChange = (text: string) => {
    const edit = editLimit(step, field, text);
    if (!edit.ok) {
      // NOTE: text that is no number cannot be stored, so the pipeline keeps the last number typed
      // and this draft (with its error) is gone once another step is selected.
      setDraft({ text, stored, error: edit.message });
      return;
    }
    setDraft({ text, stored: limitText(applyPatch(step, edit.patch), field) });
    update(edit.patch);
  };

  return (
    <TextField
      label={label}
      value={current?.text ?? stored}
      onChange={onChange}
      placeholder={placeholder}
      error={current?.error ?? error}
      monospace
    />
  );
}
