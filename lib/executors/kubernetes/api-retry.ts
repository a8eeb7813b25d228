/**
 * Bounded retries of one API call on throttling (429), transient server errors (5xx) and lost
 * connections, with exponential backoff that honours the server's `Retry-After`.
 */
import { describeApiError, isRetryableApiError, type ApiProblem } from './api-error';

export interface RetryOptions {
  /** Total tries, the first included. */
  tries: number;
  /** Wait before the second try; it doubles after each failure, up to `maxDelayMs`. */
  delayMs: number;
  maxDelayMs: number;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (problem: ApiProblem, waitMs: number, triesLeft: number) => void;
}

/** Runs `call` until it succeeds, fails with an error not worth retrying, or runs out of tries; then rethrows. */
export async function withApiRetries<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const problem = describeApiError(error);
      if (attempt >= options.tries || !isRetryableApiError(problem)) throw error;

      const backoff = Math.min(options.delayMs * 2 ** (attempt - 1), options.maxDelayMs);
      const requested = problem.retryAfterSeconds !== null ? problem.retryAfterSeconds * 1000 : 0;
      const waitMs = Math.min(Math.max(backoff, requested), options.maxDelayMs);
      options.onRetry?.(problem, waitMs, options.tries - attempt);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
