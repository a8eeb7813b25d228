/**
 * Starts Pipedeck (store, example pipelines, engine and its recovery of active runs) once when the
 * Next.js server starts, before it takes requests.
 */
export async function register(): Promise<void> {
  // The engine needs Node.js (SQLite, child processes); the dynamic import keeps it out of edge bundles.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // `next build` loads this file too; a build must not open the data directory or start runs.
  if (process.env.NEXT_PHASE === 'phase-production-build') return;

  const { startPipedeck } = await import('./lib/server/context');
  const { isPipedeckError } = await import('./lib/errors');
  try {
    await startPipedeck();
  } catch (error) {
    // startPipedeck has logged the error. Another server on the same data directory is final, so
    // this one exits. Otherwise the server stays up so that each request retries the startup and
    // returns the cause in its error response, instead of the port being closed.
    if (isPipedeckError(error) && error.code === 'conflict') process.exit(1);
  }
}
