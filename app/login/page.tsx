/**
 * The login page shown when PIPEDECK_TOKEN is set: a plain form (it works without JavaScript) that
 * posts the token to /api/session, which sets the session cookie and sends the browser on to `next`.
 */
import { safeRedirectPath } from '@/lib/server/request-guard';

export const dynamic = 'force-dynamic';

type LoginSearchParams = { next?: string | string[]; error?: string | string[] };

export default async function LoginPage({ searchParams }: { searchParams: Promise<LoginSearchParams> }) {
  const query = await searchParams;
  const next = safeRedirectPath(typeof query.next === 'string' ? query.next : undefined);
  const rejected = query.error === 'invalid';

  return (
    <div className="mx-auto mt-24 w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-lg font-semibold">Log in to Pipedeck</h1>
      <p className="mb-4 text-sm text-slate-600">This server requires the token set in PIPEDECK_TOKEN.</p>
      <form method="post" action="/api/session" className="flex flex-col gap-3">
        <input type="hidden" name="next" value={next} />
        <label className="flex flex-col gap-1 text-sm font-medium" htmlFor="token">
          Token
          <input
            id="token"
            name="token"
            type="password"
            required
            autoFocus
            autoComplete="current-password"
            className="rounded border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
        </label>
        {rejected ? (
          <p role="alert" className="text-sm text-red-700">
            The token is wrong. Check the value of PIPEDECK_TOKEN on the server.
          </p>
        ) : null}
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Log in
        </button>
      </form>
    </div>
  );
}
