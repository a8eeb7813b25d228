'use client';

import { useReactFlow } from '@xyflow/react';
import { useState, type Dispatch } from 'react';

import type { ValidationIssue } from '@/lib/pipeline/issues';

import type { EditorAction } from './editor-state';

/**
 * The pipeline's validation problems under the canvas, updated as the pipeline changes. "Show"
 * selects the step a problem belongs to and brings it into view.
 */
export function ProblemsList({ issues, dispatch }: { issues: readonly ValidationIssue[]; dispatch: Dispatch<EditorAction> }) {
  const [expanded, setExpanded] = useState(true);
  const { fitView } = useReactFlow();

  const showStep = (stepId: string) => {
    dispatch({ type: 'select', stepIds: [stepId], edgeIds: [] });
    void fitView({ nodes: [{ id: stepId }], duration: 300, maxZoom: 1 });
  };

  return (
    <section aria-labelledby="problems-title" className="shrink-0 border-t border-slate-200 bg-white">
      <h2 id="problems-title">
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
          className="flex w-full items-center gap-2 px-4 py-1.5 text-left text-xs font-semibold text-slate-700 hover:bg-slate-50"
        >
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          Problems
          <span className={`rounded-full px-1.5 text-[10px] ${issues.length > 0 ? 'bg-red-600 text-white' : 'bg-green-100 text-green-800'}`}>
            {issues.length}
          </span>
        </button>
      </h2>
      {expanded ? (
        issues.length === 0 ? (
          <p className="px-4 pb-2 text-xs text-slate-500">No problems: the pipeline is ready to run.</p>
        ) : (
          <ul className="max-h-40 overflow-y-auto px-4 pb-2 text-xs" aria-label="Problems">
            {issues.map((issue, index) => (
              <li key={index} className="flex items-start gap-2 border-b border-slate-100 py-1 last:border-b-0">
                <span className="mt-0.5 shrink-0 rounded bg-red-50 px-1 font-mono text-[10px] text-red-700">{issue.code}</span>
                <span className="flex-1 text-slate-800">{issue.message}</span>
                {issue.stepId !== undefined ? (
                  <button type="button" onClick={() => showStep(issue.stepId!)} className="shrink-0 text-blue-700 hover:underline" aria-label={`Show step ${issue.stepId}`}>
                    Show
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
