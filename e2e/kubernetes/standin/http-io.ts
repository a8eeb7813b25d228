/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Reading request bodies and writing JSON answers the way kube-apiserver frames them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError, badRequest } from './api-errors';

/** kube-apiserver rejects request bodies above 3 MiB. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status.code, error.status, error.headers);
}

/** Reads a JSON body; an empty body is undefined, malformed JSON a 400. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server has received a request that is too large',
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

/** True for `true`/`1`, as the API server reads boolean query parameters. */
export function queryFlag(value: string | null): boolean {
  return value === 'true' || value === '1';
}
