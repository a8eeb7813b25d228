/**
 * What server actions return to the browser. Actions never throw to the UI: a failure comes back
 * as `{ok: false, error}` in the same shape as an API error body.
 */
import type { ErrorCode } from '@/lib/errors';

/** A failure as the UI shows it: `message` for people, `details` for per-field problems. */
export interface ActionError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: ActionError };
