import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { resetConfigForTests } from '@/lib/server/config';
import { sessionValue } from '@/lib/server/request-guard';
import { routeParams } from '@/lib/server/test-support';
import { DELETE, POST } from './route';

const TOKEN = 'session-test-token-0123456789';

function login(body: string, contentType: string): Request {
  return new Request('http://localhost:3000/api/session', { method: 'POST', body, headers: { 'content-type': contentType } });
}

function form(fields: Record<string, string>): Request {
  return login(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
}

beforeAll(() => {
  process.env.PIPEDECK_LOG_LEVEL = 'silent';
});

afterEach(() => {
  delete process.env.PIPEDECK_TOKEN;
  resetConfigForTests();
});

function useToken(): void {
  process.env.PIPEDECK_TOKEN = TOKEN;
  resetConfigForTests();
}

describe('POST /api/session', () => {
  it('sets the session cookie and redirects after a form login', async () => {
    useToken();
    const response = await POST(form({ token: TOKEN, next: '/runs/abc' }), routeParams({}));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/runs/abc');
    expect(response.headers.get('set-cookie')).toBe(
      `pipedeck_session=${await sessionValue(TOKEN)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800`,
    );
  });

  it('never puts the token itself in the cookie', async () => {
    useToken();
    const response = await POST(form({ token: TOKEN, next: '/' }), routeParams({}));
    expect(response.headers.get('set-cookie')).not.toContain(TOKEN);
  });

  it('sends a wrong form login back to the login page', async () => {
    useToken();
    const response = await POST(form({ token: 'wrong', next: '/runs' }), routeParams({}));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?error=invalid&next=%2Fruns');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('does not redirect to another site', async () => {
    useToken();
    const response = await POST(form({ token: TOKEN, next: '//evil.example/' }), routeParams({}));
    expect(response.headers.get('location')).toBe('/');
  });

  it('accepts a JSON login with 204', async () => {
    useToken();
    const response = await POST(login(JSON.stringify({ token: TOKEN }), 'application/json'), routeParams({}));
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toContain(`pipedeck_session=${await sessionValue(TOKEN)}`);
  });

  it('rejects a wrong JSON login with 401', async () => {
    useToken();
    const response = await POST(login(JSON.stringify({ token: 'wrong' }), 'application/json'), routeParams({}));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'the token is wrong' } });
  });

  it('rejects a JSON login without a token string', async () => {
    useToken();
    const response = await POST(login(JSON.stringify({ token: 42 }), 'application/json'), routeParams({}));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_request', message: 'token: expected a string' } });
  });

  it('rejects other content types with 415', async () => {
    useToken();
    const response = await POST(login(TOKEN, 'text/plain'), routeParams({}));
    expect(response.status).toBe(415);
  });

  it('rejects a body over 4 KiB with 413', async () => {
    useToken();
    const response = await POST(form({ token: 'x'.repeat(5000), next: '/' }), routeParams({}));
    expect(response.status).toBe(413);
  });

  it('returns 400 when the server has no token', async () => {
    const response = await POST(login(JSON.stringify({ token: TOKEN }), 'application/json'), routeParams({}));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: 'this server has no PIPEDECK_TOKEN set, so no login is needed' },
    });
  });
});

describe('DELETE /api/session', () => {
  it('clears the session cookie', async () => {
    const response = await DELETE(new Request('http://localhost:3000/api/session', { method: 'DELETE' }), routeParams({}));
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toBe('pipedeck_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
