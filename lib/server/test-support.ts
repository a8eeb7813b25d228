/**
 * Helpers for tests of the server glue and the route handlers: a throwaway data directory wired into
 * the process-wide singletons, and shortcuts for calling route handlers with a `Request`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { resetConfigForTests } from './config';
import { stopPipedeck } from './context';

const ORIGIN = 'http://localhost:3000';

/**
 * Points PIPEDECK_DATA_DIR at a new temporary directory and clears any store, engine or
 * configuration left by an earlier test file. Returns the directory.
 */
export async function useTemporaryDataDir(prefix = 'pipedeck-api-'): Promise<string> {
  await stopPipedeck();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.PIPEDECK_DATA_DIR = dataDir;
  resetConfigForTests();
  return dataDir;
}

/** Stops the engine, closes the store and deletes the directory made by `useTemporaryDataDir`. */
export async function removeTemporaryDataDir(dataDir: string): Promise<void> {
  await stopPipedeck();
  resetConfigForTests();
  delete process.env.PIPEDECK_DATA_DIR;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Builds a request to this server; a non-string body is sent as JSON. */
export function apiRequest(
  method: string,
  pathWithQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Request {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    if (typeof body !== 'string') (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  return new Request(`${ORIGIN}${pathWithQuery}`, init);
}

/** The second argument Next.js passes to a route handler. */
export function routeParams<Params extends Record<string, string>>(params: Params): { params: Promise<Params> } {
  return { params: Promise.resolve(params) };
}

/** Reads an error response body. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; details?: unknown }> {
  const body = (await response.json()) as { error: { code: string; message: string; details?: unknown } };
  return body.error;
}
