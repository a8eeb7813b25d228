/**
 * Reading errors from @kubernetes/client-node 1.4: an `ApiException` carries the HTTP status and the
 * API server's `Status` object as JSON text; a watch error carries `statusCode`; a network error
 * (connection refused, reset) carries neither.
 */

/** An API failure in the terms the executor decides on. */
export interface ApiProblem {
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** The `reason` of the API server's Status object, e.g. `AlreadyExists`, `Forbidden`. */
  reason: string | null;
  /** The API server's own message when it sent one, else the client's. */
  message: string;
  /** Seconds the server asked the client to wait (`Retry-After`), if any. */
  retryAfterSeconds: number | null;
}

/** Statuses worth retrying: throttling and transient server errors. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export function describeApiError(error: unknown): ApiProblem {
  if (typeof error !== 'object' || error === null) {
    return { status: null, reason: null, message: String(error), retryAfterSeconds: null };
  }

  const candidate = error as { code?: unknown; statusCode?: unknown; body?: unknown; headers?: unknown; message?: unknown };
  let status: number | null = null;
  if (typeof candidate.code === 'number') status = candidate.code;
  else if (typeof candidate.statusCode === 'number') status = candidate.statusCode;
  const statusObject = parseStatusBody(candidate.body);
  const clientMessage = typeof candidate.message === 'string' ? readableMessage(candidate.message) : String(error);

  let message = statusObject?.message ?? clientMessage;
  if (status !== null && !statusObject?.message) message = `HTTP ${status}: ${clientMessage}`;

  return { status, reason: statusObject?.reason ?? null, message, retryAfterSeconds: readRetryAfter(candidate.headers) };
}

/**
 * Describes a failed call for a person: the HTTP status and message the API server returned (e.g. a
 * 500 from a slow etcd), or, when no response arrived, that the server at `server` cannot be reached.
 */
export function describeApiFailure(error: unknown, server: string): string {
  const problem = describeApiError(error);
  if (problem.status === null) return `cannot reach the Kubernetes API at ${server}: ${problem.message}`;
  const statusPrefix = `HTTP ${problem.status}: `;
  const text = problem.message.startsWith(statusPrefix) ? problem.message.slice(statusPrefix.length) : problem.message;
  return `the Kubernetes API answered ${problem.status}: ${text}`;
}

/** Returns true for throttling, transient server errors and failures with no response at all. */
export function isRetryableApiError(problem: ApiProblem): boolean {
  return problem.status === null || RETRYABLE_STATUSES.has(problem.status);
}

export function isNotFound(error: unknown): boolean {
  return describeApiError(error).status === 404;
}

function parseStatusBody(body: unknown): { message?: string; reason?: string } | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;

  const { message, reason } = value as { message?: unknown; reason?: unknown };
  return {
    message: typeof message === 'string' && message !== '' ? message : undefined,
    reason: typeof reason === 'string' && reason !== '' ? reason : undefined,
  };
}

function readRetryAfter(headers: unknown): number | null {
  if (typeof headers !== 'object' || headers === null) return null;
  const value = (headers as Record<string, unknown>)['retry-after'];
  const seconds = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/**
 * The client's ApiException message is `HTTP-Code: N\nMessage: TEXT\nBody: ...\nHeaders: ...`;
 * only TEXT reads well. Other messages keep their first line.
 */
function readableMessage(text: string): string {
  const apiMessage = /^Message: (.*)$/m.exec(text);
  if (text.startsWith('HTTP-Code:') && apiMessage) return apiMessage[1]!;
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}
