import { describe, expect, it } from 'vitest';

import { ApiError, readApiError, runListUrl } from './run-api';

describe('readApiError', () => {
  it('reads the API error body', async () => {
    const response = new Response(
      JSON.stringify({ error: { code: 'not_found', message: 'run r-1 not found', details: { id: 'r-1' } } }),
      { status: 404 },
    );

    const error = await readApiError(response, 'loading the run');

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('run r-1 not found');
    expect(error.details).toEqual({ id: 'r-1' });
  });

  it('falls back to the status for a body of another shape', async () => {
    const error = await readApiError(new Response('<html>Bad Gateway</html>', { status: 502 }), 'cancelling the run');

    expect(error.status).toBe(502);
    expect(error.code).toBe('unknown');
    expect(error.message).toBe('cancelling the run failed with HTTP 502');
  });
});

describe('runListUrl', () => {
  it('leaves out empty filters', () => {
    expect(runListUrl({}, null, 50)).toBe('/api/runs?limit=50');
  });

  it('adds the filters and the cursor', () => {
    expect(runListUrl({ pipelineId: 'p-1', status: 'failed' }, 'abc=', 20)).toBe(
      '/api/runs?pipelineId=p-1&status=failed&limit=20&cursor=abc%3D',
    );
  });
});
