'use client';

import { useId, useState, type ReactNode } from 'react';

import { FieldNotes, INPUT_CLASS } from './form-fields';

/**
 * A field for a name other things refer to (a step id, a port or parameter name). Each keystroke
 * that gives a valid, unused name is applied at once, with every reference updated. While the text
 * is not a valid name, the field keeps it and shows the reason, and the pipeline keeps the last
 * valid name.
 *
 * NOTE: an invalid draft lives only in this field; once the field unmounts (another step is
 * selected) the draft is dropped and the last valid name stays. An invalid name cannot be stored
 * without breaking the references that point at it.
 */
export function NameField({
  label,
  value,
  onRename,
  hint,
  monospace = true,
  ariaLabel,
  className = '',
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
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | undefined>();
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
    setDraft(text);
    setError(text === value ? undefined : onRename(text));
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
    </div>
  );
}
