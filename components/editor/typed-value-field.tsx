'use client';

import { useId, useState } from 'react';

import type { JsonValue, PortType } from '@/lib/pipeline/schema';

import { FieldNotes, INPUT_CLASS } from './form-fields';

/** Parses field text into a value of `type`: undefined for empty text, an error for invalid text. */
export function parseTypedText(type: PortType, text: string): { ok: true; value: JsonValue | undefined } | { ok: false; message: string } {
  if (text.trim() === '' && type !== 'string') return { ok: true, value: undefined };
  if (type === 'number') {
    const number = Number(text);
    return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: `${JSON.stringify(text)} is not a number.` };
  }
  if (type === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as JsonValue };
    } catch (error) {
      return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true, value: text };
}

/** Returns the text a field shows for a stored value. */
export function formatTypedValue(type: PortType, value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (type === 'json') return JSON.stringify(value, null, 2);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A value field typed by the declared type: text for string, a number input for number, a checkbox
 * for boolean, a JSON text area (checked as you type) for json. Artifacts take no value.
 * Valid text is written through at once; invalid text stays in the field with the reason, and the
 * pipeline keeps the last valid value.
 */
export function TypedValueField({
  label,
  type,
  value,
  onChange,
  emptyText = 'no default',
  ariaLabel,
}: {
  label: string;
  /** Accessible name when the visible label is short. */
  ariaLabel?: string;
  type: PortType;
  value: JsonValue | undefined;
  onChange: (value: JsonValue | undefined) => void;
  /** Meaning of an unset value, storedText as the placeholder, e.g. "no default". */
  emptyText?: string;
}) {
  const id = useId();
  const storedText = formatTypedValue(type, value);
  const [draft, setDraft] = useState(storedText);
  const [error, setError] = useState<string | undefined>();
  const [appliedKey, setAppliedKey] = useState(`${type}:${storedText}`);

  // The value or type changed outside this field: show the stored value unless the draft means it.
  const key = `${type}:${storedText}`;
  if (key !== appliedKey) {
    setAppliedKey(key);
    const parsed = parseTypedText(type, draft);
    if (!parsed.ok || JSON.stringify(parsed.value) !== JSON.stringify(value)) {
      setDraft(storedText);
      setError(undefined);
    }
  }

  if (type === 'artifact') return null;

  if (type === 'boolean') {
    return (
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-1.5 text-xs text-slate-700">
          <input type="checkbox" checked={value === true} aria-label={ariaLabel} onChange={(event) => onChange(event.target.checked)} className="h-3.5 w-3.5" />
          {label}
        </label>
        {value === undefined ? <span className="text-[11px] text-slate-500">({emptyText})</span> : null}
        {value !== undefined ? (
          <button type="button" className="text-[11px] text-slate-500 underline" onClick={() => onChange(undefined)} aria-label={`Clear ${ariaLabel ?? label}`}>
            clear
          </button>
        ) : null}
      </div>
    );
  }

  const onText = (text: string) => {
    setDraft(text);
    const parsed = parseTypedText(type, text);
    if (parsed.ok) {
      setError(undefined);
      onChange(parsed.value);
    } else {
      setError(parsed.message);
    }
  };

  const common = {
    id,
    value: draft,
    'aria-label': ariaLabel,
    placeholder: `(${emptyText})`,
    spellCheck: false,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  } as const;

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-xs font-medium text-slate-700">
          {label}
        </label>
        {value !== undefined ? (
          <button type="button" className="text-[11px] text-slate-500 underline" onClick={() => onChange(undefined)} aria-label={`Clear ${ariaLabel ?? label}`}>
            clear
          </button>
        ) : null}
      </div>
      {/* Keyed by type: reusing one input across a type change leaves React's value tracking stale,
          and the next typed text that equals the old value would not fire onChange. */}
      {type === 'json' ? (
        <textarea key={type} {...common} rows={3} onChange={(event) => onText(event.target.value)} className={`${INPUT_CLASS} resize-y font-mono text-xs`} />
      ) : (
        <input
          key={type}
          {...common}
          type={type === 'number' ? 'number' : 'text'}
          step={type === 'number' ? 'any' : undefined}
          autoComplete="off"
          onChange={(event) => {
            // Partial number text such as "1e" or "-" reads as "" with badInput. Leave it to the
            // browser until it parses, because re-rendering now would overwrite what was typed.
            if (event.target.validity.badInput) return;
            onText(event.target.value);
          }}
          className={INPUT_CLASS}
        />
      )}
      <FieldNotes hintId={`${id}-hint`} errorId={`${id}-error`} error={error} />
    </div>
  );
}
