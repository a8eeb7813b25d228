/**
 * Runs before every page and route handler: Host allowlist, same-origin check on state-changing API
 * requests, and the token when PIPEDECK_TOKEN is set. The checks live in lib/server/request-guard.ts.
 */
import type { NextRequest } from 'next/server';

import { getConfig } from '@/lib/server/config';
import { guardRequest } from '@/lib/server/request-guard';

export async function proxy(request: NextRequest): Promise<Response | undefined> {
  let config;
  try {
    config = getConfig();
  } catch (error) {
    // Fail closed: with a configuration that cannot be read, no request is let through. The message
    // names the variable and the fix and never holds a variable's value.
    const message = error instanceof Error ? error.message : 'invalid Pipedeck configuration';
    return Response.json({ error: { code: 'internal', message } }, { status: 500 });
  }
  return guardRequest(request, config);
}

export const config = {
  // Static build output and the icon need no checks; everything else, pages included, goes through.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
