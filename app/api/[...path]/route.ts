/**
 * Every /api path no other route handler serves. It returns 404 in the API's JSON error shape, so a
 * script that calls a wrong path gets a message it can read instead of Next's HTML 404 page.
 * Next matches static and dynamic segments before a catch-all, so the real routes are not shadowed.
 */
import { errorResponse, withApi } from '@/lib/server/api';

export const dynamic = 'force-dynamic';

const notFound = withApi<{ path: string[] }>(async (request) => {
  const { pathname } = new URL(request.url);
  return errorResponse('not_found', `no API route for ${request.method} ${pathname}; see docs/api.md`, 404);
});

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
