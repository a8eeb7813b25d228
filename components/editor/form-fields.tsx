'use client';

import { useId, type ReactNode } from 'react';

import { usePlaceholderTarget } from './placeholder-target';

export const INPUT_CLASS =
  'w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus:border-blue-500 focus:outline-none focus:ring-1 focus:ring-blue-500 aria-invalid:border-red-500';

const LABEL_CLASS = 'text-xs font-medium text-slate-700';

/** Hint and error lines under a field; the error is announced when it appears. */
export function FieldNotes({ hintId, hint, errorId, error }: { hintId: string; hint?: ReactNode; errorId: string; error?: string }) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="text-[11px] text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-[11px] text-red-700">
          {error}
        </p>
      ) : null}
    </>
  );
}

function describedBy(hint: ReactNode, hintId: string, error: string | undefined, errorId: string): string | undefined {
  const ids = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  monospace?: boolean;
  placeholder?: string;
  /** The field can receive `{{...}}` from the placeholder help. */
  acceptsPlaceholders?: boolean;
  /** Accessible name when the visible label is short, e.g. "Input 2 name" for "name". */
  ariaLabel?: string;
  className?: string;
}

/** A labelled one-line text input that writes through on every keystroke. */
export function TextField({ label, value, onChange, hint, error, monospace, placeholder, acceptsPlaceholders, ariaLabel, className = '' }: TextFieldProps) {
  const id = useId();
  const setTarget = usePlaceholderTarget();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        aria-label={ariaLabel}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint, `${id}-hint`, error, `${id}-error`)}
        onChange={(event) => onChange(event.target.value)}
        onFocus={acceptsPlaceholders ? (event) => setTarget({ element: event.currentTarget, apply: onChange }) : undefined}
        className={`${INPUT_CLASS} ${monospace ? 'font-mono text-xs' : ''}`}
      />
      <FieldNotes hintId={`${id}-hint`} hint={hint} errorId={`${id}-error`} error={error} />
    </div>
  );
}

/** A labelled multi-line text field that writes through on every keystroke. */
export function TextAreaField({
  label,
  value,
  onChange,
  hint,
  error,
  monospace,
  placeholder,
  acceptsPlaceholders,
  ariaLabel,
  rows = 3,
  className = '',
}: TextFieldProps & { rows?: number }) {
  const id = useId();
  const setTarget = usePlaceholderTarget();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <textarea
        id={id}
        value={value}
        aria-label={ariaLabel}
        rows={rows}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint, `${id}-hint`, error, `${id}-error`)}
        onChange={(event) => onChange(event.target.value)}
        onFocus={acceptsPlaceholders ? (event) => setTarget({ element: event.currentTarget, apply: onChange }) : undefined}
        className={`${INPUT_CLASS} resize-y ${monospace ? 'font-mono text-xs leading-5' : ''}`}
      />
      <FieldNotes hintId={`${id}-hint`} hint={hint} errorId={`${id}-error`} error={error} />
    </div>
  );
}

/** A labelled select of string options. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  ariaLabel,
  className = '',
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  ariaLabel?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <select id={id} value={value} aria-label={ariaLabel} onChange={(event) => onChange(event.target.value as T)} className={INPUT_CLASS}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled checkbox. */
export function CheckboxField({
  label,
  checked,
  onChange,
  ariaLabel,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  ariaLabel?: string;
}) {
  return (
    <label className="flex items-center gap-1.5 text-xs text-slate-700">
      <input type="checkbox" checked={checked} aria-label={ariaLabel} onChange={(event) => onChange(event.target.checked)} className="h-3.5 w-3.5" />
      {label}
    </label>
  );
}
