import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { PipedeckError } from '../errors';
import { MAX_JSON_BODY_BYTES, readJsonBody, withApi } from './api';

const noParams = { params: Promise.resolve({}) };

function post(body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request('http://localhost:3000/api/test', { method: 'POST', body, headers });
}

async function run(handler: (request: Request) => Promise<Response>, request: Request) {
  const response = await withApi(handler)(request, noParams);
  return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
}

beforeAll(() => {
  process.env.PIPEDECK_LOG_LEVEL = 'silent';
});

describe('withApi', () => {
  it('maps a PipedeckError to its status and shape', async () => {
    const result = await run(async () => {
      throw new PipedeckError('conflict', 'pipeline abc was saved as version 3', { currentVersion: 3 });
    }, post('{}'));
    expect(result.status).toBe(409);
    expect(result.body).toEqual({
      error: { code: 'conflict', message: 'pipeline abc was saved as version 3', details: { currentVersion: 3 } },
    });
  });

  it('maps a ZodError to 400 naming the field', async () => {
    const schema = z.object({ limit: z.number().max(200) });
    const result = await run(async () => {
      schema.parse({ limit: 500 });
      return new Response();
    }, post('{}'));
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('invalid_request');
    expect(result.body.error.message).toBe('limit: Too big: expected number to be <=200');
    expect(result.body.error.details).toEqual({ fields: [{ field: 'limit', message: 'Too big: expected number to be <=200' }] });
  });

  it('hides an unknown error behind a generic 500', async () => {
    const result = await run(async () => {
      throw new Error('SQLITE_CORRUPT at /srv/secret/path');
    }, post('{}'));
    expect(result.status).toBe(500);
    expect(result.body.error.code).toBe('internal');
    expect(result.body.error.message).toMatch(/^internal error; the server log has the details under request id [0-9a-f-]{36}$/);
    expect(JSON.stringify(result.body)).not.toContain('/srv/secret/path');
  });
});

describe('readJsonBody', () => {
  it('parses a JSON object', async () => {
    expect(await readJsonBody(post('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
  });

  it('rejects text that is not JSON', async () => {
    const result = await run(async (request) => Response.json(await readJsonBody(request)), post('{"a":'));
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ code: 'invalid_request', message: 'request body is not valid JSON' });
  });

  it('rejects an empty body', async () => {
    const result = await run(async (request) => Response.json(await readJsonBody(request)), post(''));
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ code: 'invalid_request', message: 'request body is empty; send a JSON object' });
  });

  it('rejects a form body with 415', async () => {
    const form = post('a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    const result = await run(async (request) => Response.json(await readJsonBody(request)), form);
    expect(result.status).toBe(415);
    expect(result.body.error).toEqual({
      code: 'unsupported_media_type',
      message: 'request body must be application/json, not application/x-www-form-urlencoded',
    });
  });

  it('rejects a streamed body over the limit with 413', async () => {
    const oversized = `"${'x'.repeat(MAX_JSON_BODY_BYTES)}"`;
    const result = await run(async (request) => Response.json(await readJsonBody(request)), post(oversized));
    expect(result.status).toBe(413);
    expect(result.body.error).toEqual({
      code: 'payload_too_large',
      message: `request body is larger than the limit of ${MAX_JSON_BODY_BYTES} bytes`,
      details: { maxBytes: MAX_JSON_BODY_BYTES },
    });
  });

  it('rejects a declared Content-Length over the limit without reading', async () => {
    const request = post('{}', { 'content-type': 'application/json', 'content-length': String(MAX_JSON_BODY_BYTES + 1) });
    await expect(readJsonBody(request)).rejects.toThrow(`request body is larger than the limit of ${MAX_JSON_BODY_BYTES} bytes`);
  });
});
