/**
 * Maps what a server action caught to the `{ok: false, error}` the UI shows, the same way the API
 * wrapper maps errors to responses.
 */
import 'server-only';

import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';

import { isPipedeckError } from '@/lib/errors';
import { describeZodError } from '@/lib/server/api';
import { getLogger } from '@/lib/server/context';

import type { ActionError } from './action-types';

/**
 * Turns a caught error into a failed action result. A PipedeckError keeps its code, message and
 * details, and a ZodError becomes `invalid_request` naming each field. Any other error is logged
 * with an id, and the UI gets only that id, because its message may contain paths or library internals.
 */
export function actionFailure(error: unknown, action: string): { ok: false; error: ActionError } {
  const known = isPipedeckError(error) ? error : undefined;
  if (known && known.code !== 'internal') {
    return { ok: false, error: { code: known.code, message: known.message, details: known.details } };
  }

  if (error instanceof ZodError) {
    const { message, fields } = describeZodError(error);
    return { ok: false, error: { code: 'invalid_request', message, details: { fields } } };
  }

  const requestId = randomUUID();
  getLogger().error({ err: error, requestId, action }, 'server action failed');
  return {
    ok: false,
    error: { code: 'internal', message: `internal error; the server log has the details under request id ${requestId}` },
  };
}
