/**
 * Streams a step's log as it grows: the bytes from an offset, then new whole lines as the executor
 * appends them, until the attempt has ended and the file is read to the end.
 */
import 'server-only';

import { isTerminalStepStatus } from '../engine/types';
import { MAX_LOG_READ_BYTES, logFileSize, offsetPastEnd, readLogBytes, resolveStepLog, type StepLogAddress } from './logs-service';

/** How often a follower checks the file and the attempt's status, in milliseconds. */
export const FOLLOW_POLL_MS = 250;

/** Options of a follow: the log, its start offset and its stop signal. */
export interface FollowOptions extends StepLogAddress {
  offset?: number;
  /** Ends the stream, e.g. `request.signal` when the client disconnects. */
  signal?: AbortSignal;
  pollMs?: number;
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Returns a byte stream of one attempt's log. Without an attempt number it follows the latest
 * attempt. If the step has none yet, it waits for the first, and it ends empty when the step ends
 * without one (e.g. skipped).
 *
 * Each pull reads what is new, so a slow client holds back reading instead of filling memory. The
 * stream ends when the attempt has ended and the file is read to its end, when `signal` aborts, or
 * when the client cancels. Errors after the first byte end the stream with an error.
 *
 * @throws PipedeckError before streaming: `not_found` for an unknown run, step or attempt, and
 *   `invalid_request` for an offset past the end of the log.
 */
export async function followStepLog(options: FollowOptions): Promise<ReadableStream<Uint8Array>> {
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  const initial = resolveStepLog(options);
  let attemptNumber = initial.attempt?.number;
  let offset = options.offset ?? 0;
  let cancelled = false;

  const initialSize = initial.logFile ? await logFileSize(initial.logFile) : 0;
  if (offset > initialSize) {
    throw offsetPastEnd(offset, initialSize);
  }

  const stopped = () => cancelled || options.signal?.aborted === true;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (!stopped()) {
        const { step, attempt, logFile } = resolveStepLog({ ...options, attempt: attemptNumber });

        if (!attempt || !logFile) {
          if (isTerminalStepStatus(step.status)) return controller.close();
          await sleep(pollMs, options.signal);
          continue;
        }
        attemptNumber = attempt.number;

        // Status before file: a finished attempt's file is complete before it is read.
        const finished = attempt.status !== 'running';
        const chunk = await readLogBytes(logFile, offset, MAX_LOG_READ_BYTES, finished);
        if (chunk.bytes.byteLength > 0) {
          offset = chunk.nextOffset;
          controller.enqueue(new Uint8Array(chunk.bytes));
          return;
        }
        if (finished && offset >= chunk.size) return controller.close();

        await sleep(pollMs, options.signal);
      }
      // After cancel() the stream is already closed, and closing it again throws.
      if (!cancelled) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
}
