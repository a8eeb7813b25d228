/**
 * The one error type that crosses layers. Store, engine and formats throw it; route handlers and
 * server actions turn it into `{error: {code, message, details}}` with `status`.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_pipeline'
  | 'invalid_parameters'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'executor_unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_pipeline: 422,
  invalid_parameters: 422,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  executor_unavailable: 409,
  unauthorized: 401,
  forbidden: 403,
  internal: 500,
};

/**
 * Marks PipedeckError instances. Next bundles server code into several module instances (route
 * handlers, server actions, instrumentation), each with its own copy of this class, so `instanceof`
 * fails for an error thrown by the store or engine that another instance created. A registered
 * symbol is the same in every copy.
 */
const PIPEDECK_ERROR = Symbol.for('pipedeck.error');

export class PipedeckError extends Error {
  readonly [PIPEDECK_ERROR] = true;
  readonly code: ErrorCode;
  readonly status: number;
  /** Machine-readable detail, e.g. the list of validation issues; must hold no secret values. */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PipedeckError';
    this.code = code;
    this.status = statusByCode[code];
    this.details = details;
  }
}

export function isPipedeckError(error: unknown): error is PipedeckError {
  return typeof error === 'object' && error !== null && (error as { [PIPEDECK_ERROR]?: unknown })[PIPEDECK_ERROR] === true;
}
