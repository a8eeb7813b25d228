/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Builds the `Status` error bodies kube-apiserver sends, with the same reason, code and message
 * wording (from k8s.io/apimachinery/pkg/api/errors), so callers are tested against real text.
 */
import type { StatusObject } from './types';

/** An error a route handler throws; the server sends `status` as the body with its code. */
export class ApiError extends Error {
  constructor(
    readonly status: StatusObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: StatusObject['details']): StatusObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** 404, e.g. `pods "x" not found`. `resource` is the plural, as the real message has it. */
export function notFound(resource: string, name: string): ApiError {
  return new ApiError(failure(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource }));
}

/** 409, e.g. `pods "x" already exists`. */
export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError(failure(409, 'AlreadyExists', `${resource} "${name}" already exists`, { name, kind: resource }));
}

/** One field problem of a 422 Invalid answer. */
export interface FieldCause {
  field: string;
  /** The text after the field, e.g. `Invalid value: "X": a lowercase RFC 1123 ...` or `Required value`. */
  message: string;
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueTooLong';
}

/** 422 with every field problem, worded like `Pod "x" is invalid: [a: ..., b: ...]`. */
export function invalid(kind: string, name: string, causes: FieldCause[]): ApiError {
  const parts = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(
    failure(422, 'Invalid', `${kind} "${name}" is invalid: ${joined}`, {
      name,
      kind,
      causes: causes.map((cause) => ({ reason: cause.reason, message: cause.message, field: cause.field })),
    }),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

/** 410 as a watch ERROR event object carries it when the requested resourceVersion was compacted. */
export function expiredStatus(requested: number, oldest: number): StatusObject {
  return failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
}

export function internalError(message: string): ApiError {
  return new ApiError(
    failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] }),
  );
}

/** 429 with `Retry-After`, as the API server's max-in-flight filter sends it. */
export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** 504, sent when a write timed out in the API server (it may still have been stored). */
export function serverTimeout(): ApiError {
  return new ApiError(
    failure(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded'),
  );
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`));
}

/** 404 for a path the stand-in does not serve, worded like the real server's default handler. */
export function pathNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource'));
}
