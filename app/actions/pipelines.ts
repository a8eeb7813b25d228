'use server';

/**
 * Server actions behind the Pipelines page: create, rename, duplicate and delete. Each calls the
 * pipelines service and refreshes the list; failures come back as `{ok: false, error}`.
 */
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';

import { PipedeckError } from '@/lib/errors';
import { createPipeline, deletePipeline, duplicatePipeline, renamePipeline } from '@/lib/server/pipelines-service';

import { actionFailure } from './action-errors';
import type { ActionResult } from './action-types';

function requiredText(formData: FormData, field: string, what: string): string {
  const value = formData.get(field);
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new PipedeckError('invalid_request', `${what} is empty; enter a value`, [{ field, message: 'required' }]);
  return text;
}

/**
 * Creates an empty pipeline named by the form's `name` field, then opens it in the editor.
 * For `useActionState`: returns the failure, or redirects on success.
 */
export async function createPipelineAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  let pipelineId: string;
  try {
    const name = requiredText(formData, 'name', 'The pipeline name');
    pipelineId = createPipeline({ name, description: '', parameters: [], steps: [] }).id;
  } catch (error) {
    return actionFailure(error, 'createPipeline');
  }

  revalidatePath('/pipelines');
  // redirect() throws to end the action, so it stays outside the try block.
  redirect(`/pipelines/${pipelineId}`);
}

/** Renames the pipeline `id` to the form's `name` field; this saves a new version. */
export async function renamePipelineAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  try {
    const id = requiredText(formData, 'id', 'The pipeline id');
    const name = requiredText(formData, 'name', 'The pipeline name');
    renamePipeline(id, name);
  } catch (error) {
    return actionFailure(error, 'renamePipeline');
  }
  revalidatePath('/pipelines');
  return { ok: true, data: null };
}

/** Copies the pipeline `id` into a new pipeline named "<name> (copy)"; returns the copy's id. */
export async function duplicatePipelineAction(_previous: ActionResult<{ id: string }> | null, formData: FormData): Promise<ActionResult<{ id: string }>> {
  let copyId: string;
  try {
    copyId = duplicatePipeline(requiredText(formData, 'id', 'The pipeline id')).id;
  } catch (error) {
    return actionFailure(error, 'duplicatePipeline');
  }
  revalidatePath('/pipelines');
  return { ok: true, data: { id: copyId } };
}

/** Deletes the pipeline `id` and its versions; its runs stay in history. */
export async function deletePipelineAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  try {
    deletePipeline(requiredText(formData, 'id', 'The pipeline id'));
  } catch (error) {
    return actionFailure(error, 'deletePipeline');
  }
  revalidatePath('/pipelines');
  return { ok: true, data: null };
}
