'use client';

import type { DragEvent } from 'react';

import type { StepKind } from '@/lib/pipeline/schema';

import { STEP_KIND_MIME } from './editor-canvas';
import { STEP_TEMPLATES } from './step-templates';

const KIND_ICONS: Record<StepKind, string> = { container: '▣', shell: '$_', python: 'Py' };

/**
 * The palette: each entry can be dragged onto the canvas, or clicked (or activated from the
 * keyboard) to add the step in the middle of the visible canvas.
 */
export function StepPalette({ onAdd }: { onAdd: (kind: StepKind) => void }) {
  const onDragStart = (event: DragEvent, kind: StepKind) => {
    event.dataTransfer.setData(STEP_KIND_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <section aria-labelledby="palette-title" className="flex flex-col gap-2 p-3">
      <h2 id="palette-title" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Steps
      </h2>
      <ul className="flex flex-col gap-2">
        {STEP_TEMPLATES.map((template) => (
          <li key={template.kind}>
            <button
              type="button"
              draggable
              onDragStart={(event) => onDragStart(event, template.kind)}
              onClick={() => onAdd(template.kind)}
              aria-label={template.label}
              title={`${template.description}. Drag onto the canvas, or click to add.`}
              className="flex w-full cursor-grab items-center gap-2 rounded-md border border-slate-300 bg-white px-2 py-2 text-left shadow-sm hover:border-blue-400 hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-blue-600 active:cursor-grabbing"
            >
              <span aria-hidden="true" className="flex h-7 w-7 shrink-0 items-center justify-center rounded bg-slate-100 font-mono text-[11px] font-semibold text-slate-700">
                {KIND_ICONS[template.kind]}
              </span>
              <span className="min-w-0">
                <span className="block text-sm font-medium text-slate-900">{template.label}</span>
                <span className="block truncate text-xs text-slate-500">{template.description}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500">
        Wire an output (right) to an input (left). The grey square handles set run order only.
      </p>
    </section>
  );
}
