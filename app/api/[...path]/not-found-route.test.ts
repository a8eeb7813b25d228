import { describe, expect, it } from 'vitest';

import { DELETE, GET, POST } from './route';

function pathParams(path: string[]): { params: Promise<{ path: string[] }> } {
  return { params: Promise.resolve({ path }) };
}

describe('unknown API paths', () => {
  it('answers GET with a JSON 404', async () => {
    const response = await GET(new Request('http://localhost:3000/api/runz/abc'), pathParams(['runz', 'abc']));

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'no API route for GET /api/runz/abc; see docs/api.md' },
    });
  });

  it('names the method of the request', async () => {
    const post = await POST(new Request('http://localhost:3000/api/pipeline', { method: 'POST', body: '{}' }), pathParams(['pipeline']));
    const remove = await DELETE(new Request('http://localhost:3000/api/x/y', { method: 'DELETE' }), pathParams(['x', 'y']));

    expect(post.status).toBe(404);
    expect((await post.json()).error.message).toBe('no API route for POST /api/pipeline; see docs/api.md');
    expect(remove.status).toBe(404);
    expect((await remove.json()).error.message).toBe('no API route for DELETE /api/x/y; see docs/api.md');
  });
});
