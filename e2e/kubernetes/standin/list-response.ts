/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * List responses (`PodList`, `EventList`, ...) with `limit` and `continue` paging. Items carry no
 * kind or apiVersion, as in lists kube-apiserver sends.
 */
import { ApiError } from './api-errors';
import type { StoredObject } from './types';

function encodeContinue(resourceVersion: number, offset: number): string {
  return Buffer.from(JSON.stringify({ rv: resourceVersion, start: offset })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: number } {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv: number; start: number };
    if (Number.isInteger(decoded.rv) && Number.isInteger(decoded.start)) return decoded;
  } catch {
    // Falls through to the 400 below.
  }
  throw new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    reason: 'BadRequest',
    code: 400,
  });
}

/** Builds the list body for `items` (already filtered), honouring `limit` and `continue`. */
export function listResponse(kind: string, items: StoredObject[], query: URLSearchParams, resourceVersion: number): unknown {
  const token = query.get('continue');
  const start = token ? decodeContinue(token).start : 0;
  const limit = Number(query.get('limit') ?? 0);
  const end = limit > 0 ? start + limit : items.length;

  const page = items.slice(start, end).map((item) => {
    const listed: Partial<StoredObject> = { ...item };
    delete listed.kind;
    delete listed.apiVersion;
    return listed;
  });
  const metadata: Record<string, unknown> = { resourceVersion: String(resourceVersion) };
  if (end < items.length) {
    metadata.continue = encodeContinue(resourceVersion, end);
    metadata.remainingItemCount = items.length - end;
  }
  return { kind, apiVersion: 'v1', metadata, items: page };
}
