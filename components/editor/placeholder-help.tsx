'use client';

import type { Dispatch } from 'react';

import type { Step } from '@/lib/pipeline/schema';

import type { EditorAction } from './editor-state';
import { useInsertPlaceholder } from './placeholder-target';

/**
 * The placeholders a step may use, as buttons. A click inserts the placeholder at the caret of the
 * last focused command, argument, script or environment value field. When no such field was
 * focused yet, it appends the placeholder as a new argument.
 */
export function PlaceholderHelp({ step, dispatch }: { step: Step; dispatch: Dispatch<EditorAction> }) {
  const insert = useInsertPlaceholder();
  const tokens = [
    ...step.inputs.map((input) => ({ token: `{{inputs.${input.name}}}`, meaning: `value of input ${input.name}${input.type === 'artifact' ? ' (a path)' : ''}` })),
    ...step.outputs.map((output) => ({ token: `{{outputs.${output.name}}}`, meaning: `path to write output ${output.name} to` })),
    { token: '{{run.id}}', meaning: 'id of the run' },
    { token: '{{step.id}}', meaning: 'id of this step' },
  ];

  const onInsert = (token: string) => {
    if (insert(token)) return;
    dispatch({ type: 'updateStep', stepId: step.id, patch: { args: [...step.args, token] } });
  };

  return (
    <div className="flex flex-col gap-1">
      <p className="text-[11px] text-slate-500">
        Click to insert at the cursor. Placeholders are replaced inside each argument, never through a shell.
      </p>
      <ul className="flex flex-col gap-0.5">
        {tokens.map(({ token, meaning }) => (
          <li key={token} className="flex items-baseline gap-2">
            <button
              type="button"
              // Keep the focus (and caret) in the field being edited.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onInsert(token)}
              aria-label={`Insert ${token}`}
              className="rounded border border-slate-200 bg-slate-50 px-1.5 py-0.5 font-mono text-[11px] text-blue-800 hover:border-blue-300 hover:bg-blue-50"
            >
              {token}
            </button>
            <span className="text-[11px] text-slate-500">{meaning}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
