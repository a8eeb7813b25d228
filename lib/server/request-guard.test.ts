import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NextRequest } from 'next/server';

import { proxy } from '@/proxy';
import { resetConfigForTests } from './config';
import {
  guardRequest,
  isAllowedHost,
  isSameOrigin,
  safeRedirectPath,
  secretsEqual,
  sessionValue,
  SESSION_COOKIE,
  type GuardConfig,
} from './request-guard';

const TOKEN = 'test-token-0123456789abcdef';
const open: GuardConfig = { token: undefined, port: 3000, allowedHosts: [] };
const locked: GuardConfig = { token: TOKEN, port: 3000, allowedHosts: [] };

function request(method: string, path: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost:3000${path}`, { method, headers: { host: 'localhost:3000', ...headers } });
}

async function errorOf(response: Response | undefined) {
  expect(response).toBeDefined();
  return ((await response!.json()) as { error: { code: string; message: string } }).error;
}

describe('isAllowedHost', () => {
  it('accepts loopback names with the server port or none', () => {
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000', 'localhost']) {
      expect(isAllowedHost(host, open), host).toBe(true);
    }
  });

  it('rejects other hosts and other ports', () => {
    for (const host of ['evil.example:3000', 'localhost:3001', '127.0.0.2:3000', 'localhost.evil.example:3000', '', ':3000']) {
      expect(isAllowedHost(host, open), host).toBe(false);
    }
  });

  it('accepts PIPEDECK_ALLOWED_HOSTS entries', () => {
    const config = { port: 3000, allowedHosts: ['pipedeck.example.org', '10.0.0.5:8080'] };
    expect(isAllowedHost('pipedeck.example.org', config)).toBe(true);
    expect(isAllowedHost('pipedeck.example.org:443', config)).toBe(true);
    expect(isAllowedHost('10.0.0.5:8080', config)).toBe(true);
    expect(isAllowedHost('10.0.0.5:9090', config)).toBe(false);
    expect(isAllowedHost('10.0.0.5', config)).toBe(false);
  });
});

describe('isSameOrigin', () => {
  it('compares the origin host with the Host header', () => {
    expect(isSameOrigin(null, 'localhost:3000')).toBe(true);
    expect(isSameOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isSameOrigin('http://localhost:3001', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('https://evil.example', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('null', 'localhost:3000')).toBe(false);
  });
});

describe('secretsEqual', () => {
  it('matches only the same text', async () => {
    expect(await secretsEqual(TOKEN, TOKEN)).toBe(true);
    expect(await secretsEqual(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(await secretsEqual('', TOKEN)).toBe(false);
  });
});

describe('guardRequest', () => {
  it('lets a loopback request through', async () => {
    expect(await guardRequest(request('GET', '/api/pipelines'), open)).toBeUndefined();
    expect(await guardRequest(request('GET', '/pipelines'), open)).toBeUndefined();
  });

  it('rejects a foreign Host with 421', async () => {
    const response = await guardRequest(request('GET', '/api/pipelines', { host: 'rebound.example:3000' }), open);
    expect(response?.status).toBe(421);
    expect(await errorOf(response)).toEqual({
      code: 'forbidden',
      message:
        'host "rebound.example:3000" is not allowed; open Pipedeck through localhost or add this host to PIPEDECK_ALLOWED_HOSTS',
    });
  });

  it('rejects a request without Host with 400', async () => {
    const withoutHost = new Request('http://localhost:3000/api/pipelines');
    const response = await guardRequest(withoutHost, open);
    expect(response?.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_request', message: 'the Host header is missing' });
  });

  it('rejects a cross-origin POST with 403', async () => {
    const response = await guardRequest(request('POST', '/api/runs', { origin: 'https://evil.example' }), open);
    expect(response?.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      code: 'forbidden',
      message: 'cross-origin requests may not change data; send the request from the Pipedeck page',
    });
  });

  it('rejects cross-site PUT and DELETE even without Origin', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const response = await guardRequest(request(method, '/api/pipelines/abc', { 'sec-fetch-site': 'cross-site' }), open);
      expect(response?.status, method).toBe(403);
    }
  });

  it('allows a same-origin POST and a POST without Origin', async () => {
    expect(await guardRequest(request('POST', '/api/runs', { origin: 'http://localhost:3000' }), open)).toBeUndefined();
    expect(await guardRequest(request('POST', '/api/runs'), open)).toBeUndefined();
  });

  it('allows a cross-origin GET', async () => {
    expect(await guardRequest(request('GET', '/api/runs', { origin: 'https://evil.example' }), open)).toBeUndefined();
  });

  it('requires the token on the API', async () => {
    const response = await guardRequest(request('GET', '/api/pipelines'), locked);
    expect(response?.status).toBe(401);
    expect(response?.headers.get('www-authenticate')).toBe('Bearer realm="pipedeck"');
    expect(await errorOf(response)).toEqual({
      code: 'unauthorized',
      message: 'this server requires a token: send "Authorization: Bearer <PIPEDECK_TOKEN>"',
    });
  });

  it('rejects a wrong Bearer token', async () => {
    const response = await guardRequest(request('GET', '/api/pipelines', { authorization: 'Bearer wrong-token' }), locked);
    expect(response?.status).toBe(401);
  });

  it('accepts the Bearer token', async () => {
    const response = await guardRequest(request('GET', '/api/pipelines', { authorization: `Bearer ${TOKEN}` }), locked);
    expect(response).toBeUndefined();
  });

  it('accepts the session cookie but not the raw token as cookie', async () => {
    const cookie = `theme=dark; ${SESSION_COOKIE}=${await sessionValue(TOKEN)}`;
    expect(await guardRequest(request('GET', '/api/pipelines', { cookie }), locked)).toBeUndefined();

    const rawToken = `${SESSION_COOKIE}=${TOKEN}`;
    expect((await guardRequest(request('GET', '/api/pipelines', { cookie: rawToken }), locked))?.status).toBe(401);
  });

  it('redirects a page without credentials to the login page', async () => {
    const response = await guardRequest(request('GET', '/runs/abc?tab=logs'), locked);
    expect(response?.status).toBe(303);
    const location = new URL(response!.headers.get('location')!);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe('/runs/abc?tab=logs');
  });

  it('lets the login page and session endpoint through without credentials', async () => {
    expect(await guardRequest(request('GET', '/login'), locked)).toBeUndefined();
    expect(await guardRequest(request('POST', '/api/session', { origin: 'http://localhost:3000' }), locked)).toBeUndefined();
  });

  it('still checks Origin on the session endpoint', async () => {
    const response = await guardRequest(request('POST', '/api/session', { origin: 'https://evil.example' }), locked);
    expect(response?.status).toBe(403);
  });

  it('lets GET /api/health through without Host or token', async () => {
    const probe = request('GET', '/api/health', { host: '10.1.2.3:3000' });
    expect(await guardRequest(probe, locked)).toBeUndefined();
    const post = request('POST', '/api/health', { host: '10.1.2.3:3000' });
    expect((await guardRequest(post, locked))?.status).toBe(421);
  });
});

describe('safeRedirectPath', () => {
  it('keeps local paths and drops everything else', () => {
    expect(safeRedirectPath('/runs/abc?x=1')).toBe('/runs/abc?x=1');
    expect(safeRedirectPath('//evil.example/')).toBe('/');
    expect(safeRedirectPath('/\\evil.example')).toBe('/');
    expect(safeRedirectPath('https://evil.example/')).toBe('/');
    expect(safeRedirectPath(null)).toBe('/');
  });
});

describe('proxy', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    resetConfigForTests();
  });

  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });

  it('applies the token from PIPEDECK_TOKEN', async () => {
    process.env.PIPEDECK_TOKEN = TOKEN;
    process.env.PORT = '3000';
    const denied = await proxy(request('GET', '/api/runs') as NextRequest);
    expect(denied?.status).toBe(401);
    const allowed = await proxy(request('GET', '/api/runs', { authorization: `Bearer ${TOKEN}` }) as NextRequest);
    expect(allowed).toBeUndefined();
  });

  it('checks Host against PORT and PIPEDECK_ALLOWED_HOSTS', async () => {
    process.env.PORT = '3103';
    process.env.PIPEDECK_ALLOWED_HOSTS = 'pipedeck.internal';
    delete process.env.PIPEDECK_TOKEN;
    expect((await proxy(request('GET', '/api/runs', { host: 'localhost:3000' }) as NextRequest))?.status).toBe(421);
    expect(await proxy(request('GET', '/api/runs', { host: 'localhost:3103' }) as NextRequest)).toBeUndefined();
    expect(await proxy(request('GET', '/api/runs', { host: 'pipedeck.internal' }) as NextRequest)).toBeUndefined();
  });

  it('fails closed on an invalid configuration', async () => {
    process.env.PIPEDECK_TOKEN = 'short';
    const response = await proxy(request('GET', '/api/runs') as NextRequest);
    expect(response?.status).toBe(500);
    expect(await errorOf(response)).toEqual({
      code: 'internal',
      message:
        'invalid Pipedeck configuration: PIPEDECK_TOKEN must be at least 16 characters; generate one with `openssl rand -hex 32`',
    });
  });
});
