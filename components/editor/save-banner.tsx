'use client';

import { Button } from '@/components/ui/button';

import type { SaveStatus } from './use-save-pipeline';

/** Shows a failed save under the toolbar: a conflict with a newer version, or the server's error. */
export function SaveBanner({
  status,
  onReload,
  onOverwrite,
  onDismiss,
}: {
  status: SaveStatus;
  onReload: () => void;
  onOverwrite: () => void;
  onDismiss: () => void;
}) {
  if (status.kind === 'conflict') {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
        <p className="flex-1">
          Someone saved a newer version of this pipeline since you opened it. Reload to get it (your unsaved changes here are
          lost), or save yours over it.
        </p>
        <Button size="sm" onClick={onReload}>
          Reload
        </Button>
        <Button size="sm" variant="danger" onClick={onOverwrite}>
          Save over it
        </Button>
      </div>
    );
  }

  if (status.kind === 'error') {
    return (
      <div role="alert" className="flex items-start gap-3 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
        <div className="flex-1">
          <p>{status.message}</p>
          {status.issues.length > 0 ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {status.issues.map((issue, index) => (
                <li key={index}>{issue.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    );
  }

  return null;
}
