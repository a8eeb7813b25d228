'use client';

import { useId, useState, type ReactNode } from 'react';

import { FieldNotes, INPUT_CLASS } from './form-fields';

/** Text a name field rejected, with the reason, kept outside the field so it survives a remount. */
export interface RejectedName {
  text: string;
  error: string;
}

/**
 * A field for a name other things refer to (a step id, a port or parameter name). Each keystroke
 * that gives a valid, unused name is applied at once, with every reference updated. While the text
 * is not a valid name, the field keeps it, shows the reason and offers to revert. The pipeline
 * keeps the last valid name, because an invalid name cannot be stored without breaking the
 * references that point at it.
 *
 * A rejected text lives in the field unless the parent keeps it through `rejected` and
 * `onRejectedChange`; then it is shown again, with its error, when the field is mounted again.
 */
export function NameField({
  label,
  value,
  onRename,
  hint,
  monospace = true,
  ariaLabel,
  className = '',
  rejected,
  onRejectedChange,
}: {
  label: string;
  /** Accessible name when the visible label is short. */
  ariaLabel?: string;
  value: string;
  /** Applies the name; returns why it was rejected, or undefined when it was applied. */
  onRename: (name: string) => string | undefined;
  hint?: ReactNode;
  monospace?: boolean;
  className?: string;
  /** Text rejected before the field was last mounted, shown with its error in place of `value`. */
  rejected?: RejectedName;
  /** Receives each rejected text, and undefined once the text is applied or reverted. */
  onRejectedChange?: (text: string | undefined) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(rejected?.text ?? value);
  const [error, setError] = useState<string | undefined>(rejected?.error);
  const [appliedValue, setAppliedValue] = useState(value);

  // The name changed outside this field (e.g. a reload): show it and forget the draft.
  if (value !== appliedValue) {
    setAppliedValue(value);
    if (value !== draft) {
      setDraft(value);
      setError(undefined);
    }
  }

  const onChange = (text: string) => {
    const rejection = text === value ? undefined : onRename(text);
    setDraft(text);
    setError(rejection);
    onRejectedChange?.(rejection === undefined ? undefined : text);
  };

  const errorText = error ? `${error} Still saved as \`${value}\`.` : undefined;

  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        value={draft}
        aria-label={ariaLabel}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined}
        onChange={(event) => onChange(event.target.value)}
        className={`${INPUT_CLASS} ${monospace ? 'font-mono text-xs' : ''}`}
      />
      <FieldNotes hintId={`${id}-hint`} hint={hint} errorId={`${id}-error`} error={errorText} />
      {error ? (
        <button type="button" onClick={() => onChange(value)} className="self-start text-[11px] text-blue-700 underline hover:text-blue-900">
          Revert to {value}
        </button>
      ) : null}
    </div>
  );
}
