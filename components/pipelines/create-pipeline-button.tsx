'use client';

import { useActionState, useState } from 'react';

import { createPipelineAction } from '@/app/actions/pipelines';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** "New pipeline": asks for a name, creates an empty pipeline and opens it in the editor. */
export function CreatePipelineButton() {
  const [open, setOpen] = useState(false);
  const [result, submit, pending] = useActionState(createPipelineAction, null);

  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        New pipeline
      </Button>
      <Dialog open={open} title="New pipeline" onClose={() => setOpen(false)}>
        <form action={submit} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-sm font-medium">
            Name
            <input
              name="name"
              required
              maxLength={200}
              autoFocus
              autoComplete="off"
              className="rounded border border-slate-300 px-2 py-1.5 text-sm font-normal"
            />
          </label>
          {result && !result.ok ? (
            <p role="alert" className="text-sm text-red-700">
              {result.error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? 'Creating…' : 'Create'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
