'use client';

import { useActionState, useState } from 'react';

import { deletePipelineAction, duplicatePipelineAction, renamePipelineAction } from '@/app/actions/pipelines';
import type { ActionResult } from '@/app/actions/action-types';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { PipelineSummary } from '@/lib/store/types';

function ActionError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm text-red-700">
      {message}
    </p>
  );
}

/** Rename, Duplicate and Delete for one row of the pipelines table. */
export function PipelineRowActions({ pipeline }: { pipeline: PipelineSummary }) {
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);
  // The list refreshes from each action's revalidation; a successful action only closes its dialog.
  const closeOnSuccess =
    (action: typeof renamePipelineAction) =>
    async (previous: ActionResult | null, formData: FormData): Promise<ActionResult> => {
      const result = await action(previous, formData);
      if (result.ok) setDialog(null);
      return result;
    };
  const [renameResult, rename, renaming] = useActionState(closeOnSuccess(renamePipelineAction), null);
  const [deleteResult, remove, deleting] = useActionState(closeOnSuccess(deletePipelineAction), null);
  const [duplicateResult, duplicate, duplicating] = useActionState(duplicatePipelineAction, null);

  return (
    <div className="flex justify-end gap-1">
      <Button size="sm" variant="ghost" onClick={() => setDialog('rename')}>
        Rename
      </Button>
      <form action={duplicate}>
        <input type="hidden" name="id" value={pipeline.id} />
        <Button size="sm" variant="ghost" type="submit" disabled={duplicating}>
          Duplicate
        </Button>
      </form>
      <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setDialog('delete')}>
        Delete
      </Button>
      {duplicateResult && !duplicateResult.ok ? <ActionError message={duplicateResult.error.message} /> : null}

      <Dialog open={dialog === 'rename'} title={`Rename “${pipeline.name}”`} onClose={() => setDialog(null)}>
        <form action={rename} className="flex flex-col gap-3">
          <input type="hidden" name="id" value={pipeline.id} />
          <label className="flex flex-col gap-1 text-sm font-medium">
            New name
            <input
              name="name"
              required
              maxLength={200}
              defaultValue={pipeline.name}
              autoFocus
              autoComplete="off"
              className="rounded border border-slate-300 px-2 py-1.5 text-sm font-normal"
            />
          </label>
          <ActionError message={renameResult && !renameResult.ok ? renameResult.error.message : undefined} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={renaming}>
              Rename
            </Button>
          </div>
        </form>
      </Dialog>

      <Dialog open={dialog === 'delete'} title={`Delete “${pipeline.name}”?`} onClose={() => setDialog(null)}>
        <form action={remove} className="flex flex-col gap-3">
          <input type="hidden" name="id" value={pipeline.id} />
          <p className="text-sm text-slate-700">
            The pipeline and its {pipeline.version === 1 ? 'version' : `${pipeline.version} versions`} are deleted. Its runs stay
            in the run history.
          </p>
          <ActionError message={deleteResult && !deleteResult.ok ? deleteResult.error.message : undefined} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button type="submit" variant="danger" disabled={deleting}>
              Delete pipeline
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
