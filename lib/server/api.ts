/**
 * The one wrapper every route handler goes through: JSON bodies with a size cap, and errors mapped to
 * `{error: {code, message, details?}}` with the right status. Unknown errors reach the client as a
 * generic 500 while the log gets the full error with the request id.
 */
import 'server-only';

import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';

import { PipedeckError, isPipedeckError, type ErrorCode } from '../errors';
import { getLogger } from './server-logger';

/** Largest JSON request body accepted, in bytes (2 MiB). */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/** Body of every error response. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Second argument Next.js passes to a route handler; `params` is a Promise since Next.js 15. */
export interface ApiRouteContext<Params> {
  params: Promise<Params>;
}

type RouteHandler<Params> = (request: Request, context: ApiRouteContext<Params>) => Promise<Response>;

const NO_STORE = 'no-store';

/** Builds a JSON response that no cache keeps. */
export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { 'cache-control': NO_STORE, ...init.headers } });
}

/** Builds an error response in the API's one error shape. */
export function errorResponse(code: ErrorCode, message: string, status: number, details?: unknown, requestId?: string): Response {
  const body: ApiErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return jsonResponse(body, { status, headers: requestId ? { 'x-request-id': requestId } : {} });
}

/** Formats zod issues as "`field` message" so the client learns which field to fix. */
export function describeZodError(error: ZodError): { message: string; fields: { field: string; message: string }[] } {
  const fields = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
  const message = fields.map((entry) => `${entry.field}: ${entry.message}`).join('; ');
  return { message, fields };
}

/**
 * Wraps a route handler so that thrown errors become API error responses.
 *
 * - `PipedeckError` → its status, code, message and details.
 * - `ZodError` → 400 `invalid_request` naming each field.
 * - anything else → 500 `internal` with a generic message; the log line has the error and request id.
 */
export function withApi<Params = Record<string, never>>(handler: RouteHandler<Params>): RouteHandler<Params> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error, request);
    }
  };
}

function toErrorResponse(error: unknown, request: Request): Response {
  if (isPipedeckError(error) && error.code !== 'internal') {
    return errorResponse(error.code, error.message, error.status, error.details);
  }

  if (error instanceof ZodError) {
    const { message, fields } = describeZodError(error);
    return errorResponse('invalid_request', message, 400, { fields });
  }

  const requestId = randomUUID();
  const url = new URL(request.url);
  getLogger().error({ err: error, requestId, method: request.method, path: url.pathname }, 'request failed');

  // An internal PipedeckError carries a message written for people (e.g. a configuration problem), so
  // it is shown; other errors may hold paths or library internals and are not.
  const message = isPipedeckError(error)
    ? `${error.message} (request id ${requestId})`
    : `internal error; the server log has the details under request id ${requestId}`;
  return errorResponse('internal', message, 500, undefined, requestId);
}

function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return true;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * Reads a request body as text, failing with 413 past `maxBytes` without reading further.
 *
 * @throws PipedeckError('payload_too_large') when the body (or its Content-Length) exceeds `maxBytes`.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new PipedeckError('payload_too_large', `request body is larger than the limit of ${maxBytes} bytes`, { maxBytes });

  const declaredLength = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) throw tooLarge();
  if (!request.body) return '';

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads and parses a JSON request body of at most `maxBytes` (default 2 MiB).
 *
 * @throws PipedeckError 415 for a non-JSON Content-Type, 413 past the limit, 400 for an empty body or
 *   text that is not JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    throw new PipedeckError('unsupported_media_type', `request body must be application/json, not ${contentType}`);
  }

  const text = await readBodyText(request, maxBytes);
  if (text.trim() === '') {
    throw new PipedeckError('invalid_request', 'request body is empty; send a JSON object');
  }

  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PipedeckError('invalid_request', 'request body is not valid JSON');
  }
}
