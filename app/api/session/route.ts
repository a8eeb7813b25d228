/**
 * POST /api/session logs in: the login form (or a JSON `{token}` body) sends PIPEDECK_TOKEN, and the
 * response sets an HttpOnly, SameSite=Strict cookie that contains a hash of it. DELETE /api/session logs out.
 * The proxy lets both through without credentials; it still checks Host and Origin.
 */
import { PipedeckError } from '@/lib/errors';
import { errorResponse, readBodyText, withApi } from '@/lib/server/api';
import { getConfig } from '@/lib/server/config';
import { getLogger } from '@/lib/server/server-logger';
import {
  LOGIN_PATH,
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  safeRedirectPath,
  secretsEqual,
  sessionValue,
} from '@/lib/server/request-guard';

export const dynamic = 'force-dynamic';

/** A login body contains one token and a path, so anything larger is not a login. */
const MAX_LOGIN_BODY_BYTES = 4096;

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** Builds a 303 to a path on this server. The Location stays relative because request.url may not carry the host the browser used. */
function redirectTo(location: string, cookie?: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  if (cookie) headers.set('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

async function readLoginForm(request: Request): Promise<{ token: string; next: string; isForm: boolean }> {
  const text = await readBodyText(request, MAX_LOGIN_BODY_BYTES);
  const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();

  if (contentType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    return { token: form.get('token') ?? '', next: safeRedirectPath(form.get('next')), isForm: true };
  }

  if (contentType === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PipedeckError('invalid_request', 'request body is not valid JSON');
    }
    const token = typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
    if (typeof token !== 'string') throw new PipedeckError('invalid_request', 'token: expected a string');
    return { token, next: '/', isForm: false };
  }

  throw new PipedeckError('unsupported_media_type', 'send the login as a form or as application/json with a token field');
}

export const POST = withApi(async (request) => {
  const login = await readLoginForm(request);
  const expected = getConfig().token;

  if (expected === undefined) {
    if (login.isForm) return redirectTo(login.next);
    return errorResponse('invalid_request', 'this server has no PIPEDECK_TOKEN set, so no login is needed', 400);
  }

  if (!(await secretsEqual(login.token, expected))) {
    getLogger().warn('login rejected: wrong token');
    if (!login.isForm) return errorResponse('unauthorized', 'the token is wrong', 401);
    const retry = new URLSearchParams({ error: 'invalid', next: login.next });
    return redirectTo(`${LOGIN_PATH}?${retry.toString()}`);
  }

  const cookie = sessionCookie(await sessionValue(expected), SESSION_MAX_AGE_SECONDS, isSecure(request));
  if (login.isForm) return redirectTo(login.next, cookie);
  return new Response(null, { status: 204, headers: { 'set-cookie': cookie, 'cache-control': 'no-store' } });
});

export const DELETE = withApi(async (request) => {
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': sessionCookie('', 0, isSecure(request)), 'cache-control': 'no-store' },
  });
});
