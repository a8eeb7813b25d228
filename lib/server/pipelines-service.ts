/**
 * Pipeline operations shared by the route handlers and the UI's server actions.
 *
 * Saving checks the shape only: a pipeline with unbound inputs or a cycle is work in progress and is
 * saved as is, because validation problems block a run, not a save.
 */
import 'server-only';

import { PipedeckError } from '../errors';
import type { Pipeline } from '../pipeline/schema';
import { parsePipelineShape } from '../pipeline/shape';
import type { PipelineRecord, PipelineSummary, PipelineVersionRecord } from '../store/types';
import { getStore } from './store-singleton';

/** Ids the store issues: lower-case letters, digits and `-`. */
const RECORD_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Maximum pipeline name length the schema accepts. */
const MAX_NAME_LENGTH = 200;

const COPY_SUFFIX = ' (copy)';

/**
 * Throws `not_found` for an id the store could not have issued, so such text never reaches a query
 * or a message unchecked.
 */
export function assertRecordId(kind: 'pipeline' | 'run', id: string): void {
  if (!RECORD_ID_PATTERN.test(id)) {
    throw new PipedeckError('not_found', `${kind} not found: ids are lower-case letters, digits and "-"`);
  }
}

/**
 * Checks a pipeline's shape and fills in defaults; validation problems (cycles, unbound inputs) pass.
 *
 * @throws PipedeckError('invalid_pipeline') whose details are the shape issues, each with its field path.
 */
export function checkPipelineShape(input: unknown): Pipeline {
  const result = parsePipelineShape(input);
  if (result.ok) return result.pipeline;

  const [first, ...rest] = result.issues;
  const summary = first?.message ?? 'the pipeline has the wrong shape';
  const more = rest.length > 0 ? ` (and ${rest.length} more problems)` : '';
  throw new PipedeckError('invalid_pipeline', `pipeline is invalid: ${summary}${more}`, result.issues);
}

/** Lists every pipeline, most recently updated first. */
export function listPipelines(): PipelineSummary[] {
  return getStore().listPipelines();
}

/**
 * Returns a pipeline with its latest definition.
 *
 * @throws PipedeckError('not_found')
 */
export function getPipeline(id: string): PipelineRecord {
  assertRecordId('pipeline', id);
  const pipeline = getStore().getPipeline(id);
  if (!pipeline) throw new PipedeckError('not_found', `pipeline ${id} not found`);
  return pipeline;
}

/**
 * Creates a pipeline (version 1) from a pipeline object.
 *
 * @throws PipedeckError('invalid_pipeline') when the shape is wrong.
 */
export function createPipeline(input: unknown): PipelineRecord {
  return getStore().createPipeline(checkPipelineShape(input));
}

/**
 * Saves a new version of a pipeline.
 *
 * @param expectedVersion the version the editor loaded; when another save came in between, the save
 *   fails with `conflict` instead of overwriting it.
 * @throws PipedeckError('not_found' | 'invalid_pipeline' | 'conflict')
 */
export function savePipeline(id: string, input: unknown, expectedVersion?: number): PipelineRecord {
  assertRecordId('pipeline', id);
  const definition = checkPipelineShape(input);
  return getStore().savePipelineVersion(id, definition, expectedVersion);
}

/**
 * Renames a pipeline by saving a new version with the new name.
 *
 * @throws PipedeckError('not_found' | 'invalid_pipeline')
 */
export function renamePipeline(id: string, name: string): PipelineRecord {
  const current = getPipeline(id);
  const definition = checkPipelineShape({ ...current.definition, name });
  return getStore().savePipelineVersion(id, definition, current.version);
}

/**
 * Copies a pipeline's latest definition into a new pipeline named "<name> (copy)"; the original's
 * versions and runs are not copied.
 *
 * @throws PipedeckError('not_found')
 */
export function duplicatePipeline(id: string): PipelineRecord {
  const source = getPipeline(id);
  const baseName = source.definition.name.slice(0, MAX_NAME_LENGTH - COPY_SUFFIX.length);
  return getStore().createPipeline({ ...source.definition, name: `${baseName}${COPY_SUFFIX}` });
}

/**
 * Deletes a pipeline and its versions. Its runs stay in history with the definition they ran.
 *
 * @throws PipedeckError('not_found')
 */
export function deletePipeline(id: string): void {
  assertRecordId('pipeline', id);
  if (!getStore().deletePipeline(id)) throw new PipedeckError('not_found', `pipeline ${id} not found`);
}

/**
 * Lists a pipeline's versions, newest first.
 *
 * @throws PipedeckError('not_found')
 */
export function listPipelineVersions(id: string): PipelineVersionRecord[] {
  getPipeline(id);
  return getStore().listPipelineVersions(id);
}
