/**
 * The checks `proxy.ts` runs before any page or route handler:
 *
 * 1. the Host header is on an allowlist, so a web page on another domain that resolves to this
 *    machine (DNS rebinding) cannot talk to the API;
 * 2. a state-changing API request from a browser comes from this server's own origin (CSRF);
 * 3. with PIPEDECK_TOKEN set, every request carries the token, as a Bearer header or as the session
 *    cookie the login page sets.
 *
 * This module has no `server-only` guard because the proxy bundle is not built with the React server
 * condition that the guard needs. It uses Web Crypto only, so it runs in either proxy runtime.
 */
import type { ErrorCode } from '../errors';

/** The settings the checks need (a subset of `PipedeckConfig`). */
export interface GuardConfig {
  token: string | undefined;
  port: number;
  allowedHosts: string[];
}

/** Name of the cookie that contains the session value after a login. */
export const SESSION_COOKIE = 'pipedeck_session';

/** How long a login lasts, in seconds (7 days). */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** Path of the login page; it and the session endpoint are reachable without a token. */
export const LOGIN_PATH = '/login';
export const SESSION_API_PATH = '/api/session';
export const HEALTH_API_PATH = '/api/health';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const encoder = new TextEncoder();

function splitHost(host: string): { name: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return match ? { name: match[1] ?? '', port: match[2] } : { name: '', port: undefined };
}

/**
 * Tells whether a Host header names this server: a loopback name (`localhost`, `127.0.0.1`, `[::1]`)
 * with the server's port or no port, or an entry of PIPEDECK_ALLOWED_HOSTS. An allowlist entry
 * without a port matches any port, since a reverse proxy may forward its own.
 */
export function isAllowedHost(hostHeader: string, config: Pick<GuardConfig, 'port' | 'allowedHosts'>): boolean {
  const host = splitHost(hostHeader);
  if (host.name === '') return false;

  if (LOOPBACK_NAMES.includes(host.name)) {
    return host.port === undefined || host.port === String(config.port);
  }

  return config.allowedHosts.some((entry) => {
    const allowed = splitHost(entry);
    return allowed.name === host.name && (allowed.port === undefined || allowed.port === host.port);
  });
}

/**
 * Tells whether a request's Origin (when present) is this server's origin, i.e. its host equals the
 * Host header. `Origin: null` (sandboxed frames, some redirects) is not this server.
 */
export function isSameOrigin(originHeader: string | null, hostHeader: string): boolean {
  if (originHeader === null) return true;
  try {
    return new URL(originHeader).host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false;
  }
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Compares two secrets in time that does not depend on where they differ: both are hashed first, so
 * the comparison always runs over 32 bytes whatever the lengths.
 */
export async function secretsEqual(presented: string, expected: string): Promise<boolean> {
  const [left, right] = await Promise.all([sha256(presented), sha256(expected)]);
  let difference = 0;
  for (let index = 0; index < left.length; index += 1) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}

/**
 * Computes the session cookie value for a token: a SHA-256 of it, so a stolen cookie does not reveal
 * the token itself (it still opens this server until the token changes).
 */
export async function sessionValue(token: string): Promise<string> {
  const digest = await sha256(`pipedeck-session:${token}`);
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Tells whether a request carries the token, as `Authorization: Bearer <token>` or the session cookie. */
export async function hasValidCredentials(request: Request, token: string): Promise<boolean> {
  const authorization = request.headers.get('authorization');
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer !== undefined && (await secretsEqual(bearer, token))) return true;

  const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
  return cookie !== undefined && (await secretsEqual(cookie, await sessionValue(token)));
}

function rejection(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Tells whether a path is a login path, reachable without credentials. */
function isLoginPath(pathname: string): boolean {
  return pathname === LOGIN_PATH || pathname === SESSION_API_PATH;
}

function isHealthCheck(request: Request, pathname: string): boolean {
  return pathname === HEALTH_API_PATH && (request.method === 'GET' || request.method === 'HEAD');
}

/**
 * Runs the Host, Origin and token checks on one request.
 *
 * @returns a response that rejects the request, or undefined to let it through.
 *
 * @remarks `GET /api/health` skips all checks so probes (which send the pod IP as Host) work; it
 * shows only the version and executor availability.
 */
export async function guardRequest(request: Request, config: GuardConfig): Promise<Response | undefined> {
  const url = new URL(request.url);
  const pathname = url.pathname;
  if (isHealthCheck(request, pathname)) return undefined;

  const host = request.headers.get('host');
  if (!host) return rejection(400, 'invalid_request', 'the Host header is missing');
  if (!isAllowedHost(host, config)) {
    return rejection(
      421,
      'forbidden',
      `host "${host.slice(0, 100)}" is not allowed; open Pipedeck through localhost or add this host to PIPEDECK_ALLOWED_HOSTS`,
    );
  }

  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  if (isApi && STATE_CHANGING_METHODS.has(request.method)) {
    const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
    if (crossSite || !isSameOrigin(request.headers.get('origin'), host)) {
      return rejection(403, 'forbidden', 'cross-origin requests may not change data; send the request from the Pipedeck page');
    }
  }

  if (config.token === undefined || isLoginPath(pathname)) return undefined;
  if (await hasValidCredentials(request, config.token)) return undefined;

  if (isApi) {
    return rejection(401, 'unauthorized', 'this server requires a token: send "Authorization: Bearer <PIPEDECK_TOKEN>"', {
      'www-authenticate': 'Bearer realm="pipedeck"',
    });
  }

  const loginUrl = new URL(LOGIN_PATH, url);
  loginUrl.search = '';
  loginUrl.searchParams.set('next', `${pathname}${url.search}`);
  return Response.redirect(loginUrl, 303);
}

/**
 * Returns `next` when it is a path on this server, else `/`, so the login page cannot be used to send
 * a person to another site.
 */
export function safeRedirectPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
