'use client';

import Link from 'next/link';

import { Button } from '@/components/ui/button';

import type { SaveStatus } from './use-save-pipeline';

/** The editor's top bar: where you are, whether edits are saved, Save and Run. */
export function EditorToolbar({
  name,
  version,
  unsaved,
  saveStatus,
  problemCount,
  onSave,
  onRun,
}: {
  name: string;
  version: number;
  unsaved: boolean;
  saveStatus: SaveStatus;
  problemCount: number;
  onSave: () => void;
  onRun: () => void;
}) {
  const saving = saveStatus.kind === 'saving';
  let stateText = 'All changes saved';
  if (unsaved) stateText = 'Unsaved changes';
  if (saving) stateText = 'Saving…';

  return (
    <div className="flex h-12 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
      <Link href="/pipelines" className="text-sm text-slate-500 hover:text-slate-900">
        Pipelines
      </Link>
      <span aria-hidden="true" className="text-slate-300">
        /
      </span>
      <h1 className="min-w-0 truncate text-sm font-semibold text-slate-900" title={name}>
        {name || 'Untitled pipeline'}
      </h1>
      <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600">v{version}</span>
      <span
        role="status"
        data-testid="save-state"
        className={`shrink-0 text-xs ${unsaved ? 'font-medium text-amber-700' : 'text-slate-500'}`}
      >
        {stateText}
      </span>
      <div className="ml-auto flex items-center gap-2">
        {problemCount > 0 ? (
          <span className="text-xs text-red-700">
            {problemCount} {problemCount === 1 ? 'problem' : 'problems'}
          </span>
        ) : null}
        <Button onClick={onSave} disabled={saving || !unsaved} title="Save a new version (Ctrl+S or ⌘S)">
          Save
        </Button>
        <Button variant="primary" onClick={onRun} disabled={saving} title="Save if needed, then choose parameters and run">
          Run
        </Button>
      </div>
    </div>
  );
}
