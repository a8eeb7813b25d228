'use client';

import { useState } from 'react';

import { Button } from '@/components/ui/button';

import { TextAreaField } from './form-fields';

/** Splits field text into argv elements, one per line; empty text is an empty list. */
export function linesToArgv(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** Joins argv elements into field text, one per line. */
export function argvToLines(argv: readonly string[]): string {
  return argv.join('\n');
}

const DEFAULT_HINT = 'One argument per line, passed as is: no quoting, no shell.';

/**
 * An argv list editor: one argument per line, passed to the program as is, with no shell quoting
 * or splitting. When an element itself holds a newline (a script imported from Argo or KFP, say),
 * one line per element cannot show it, so each element gets its own text area instead.
 */
export function ArgvField({
  label,
  value,
  onChange,
  hint,
  error,
}: {
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  /** Sentence shown before the field's own note, e.g. how a script reads its arguments. */
  hint?: string;
  error?: string;
}) {
  // Once shown per element, the field stays so while mounted, so deleting a newline does not
  // swap the text areas (and the focus) under the cursor.
  const hasNewline = value.some((argument) => argument.includes('\n'));
  const [perElement, setPerElement] = useState(hasNewline);
  if (hasNewline && !perElement) setPerElement(true);

  if (perElement) {
    return <ArgvElementsField label={label} value={value} onChange={onChange} hint={hint} error={error} />;
  }

  const emptyLines = value.flatMap((argument, index) => (argument === '' ? [index + 1] : []));
  const emptyNote =
    emptyLines.length > 0
      ? ` Line ${emptyLines.join(', ')} ${emptyLines.length === 1 ? 'is' : 'are'} empty and passed as an empty argument.`
      : '';

  return (
    <TextAreaField
      label={label}
      value={argvToLines(value)}
      onChange={(text) => onChange(linesToArgv(text))}
      rows={Math.min(12, Math.max(2, value.length + 1))}
      monospace
      acceptsPlaceholders
      hint={`${hint ? `${hint} ` : ''}${DEFAULT_HINT}${emptyNote}`}
      error={error}
    />
  );
}

/** One text area per argv element, for lists whose elements contain newlines. */
function ArgvElementsField({
  label,
  value,
  onChange,
  hint,
  error,
}: {
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  hint?: string;
  error?: string;
}) {
  const replace = (index: number, text: string) => onChange(value.map((argument, at) => (at === index ? text : argument)));

  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-xs font-medium text-slate-700">{label}</legend>
      <p className="text-[11px] text-slate-500">
        {hint ? `${hint} ` : ''}Each box is one argument, passed as is; newlines stay inside it.
      </p>
      {value.map((argument, index) => (
        <div key={index} className="flex items-start gap-1">
          <TextAreaField
            label={`${label} ${index + 1}`}
            value={argument}
            onChange={(text) => replace(index, text)}
            rows={Math.min(12, Math.max(1, argument.split('\n').length))}
            monospace
            acceptsPlaceholders
            className="flex-1"
          />
          <Button size="sm" variant="ghost" className="mt-5" aria-label={`Remove ${label} ${index + 1}`} onClick={() => onChange(value.filter((_, at) => at !== index))}>
            ×
          </Button>
        </div>
      ))}
      <Button size="sm" className="self-start" onClick={() => onChange([...value, ''])}>
        Add to {label.toLowerCase()}
      </Button>
      {error ? (
        <p role="alert" className="text-[11px] text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
