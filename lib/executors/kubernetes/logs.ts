/**
 * Follows one pod's log into the attempt's log file: with timestamps from the container's start,
 * resumed with `sinceTime` after a dropped stream (see `log-lines.ts` for how duplicates are
 * skipped), and read once more after the container ended. A 400 answer means the container has not
 * started yet and is retried, not treated as a failure.
 */
import { Writable } from 'node:stream';

import type { Log } from '@kubernetes/client-node';

import type { Logger } from '../../logger';
import { describeApiError } from './api-error';
import type { AttemptLogWriter } from './attempt-log-writer';
import { LineSplitter, ResumeFilter, parseTimestampedLine, sinceTimeFor } from './log-lines';
import { STEP_CONTAINER } from './pod-spec';
import { wakeableSleep } from './wakeable-sleep';

export interface LogFollowerOptions {
  /** Wait before resuming a dropped stream or asking again for a container that has not started. */
  retryDelayMs: number;
  /** How long to wait, once the container ended, for the follow stream to close by itself. */
  endWaitMs: number;
}

type ReadOutcome = { kind: 'ended'; storedLines: number } | { kind: 'not-started' } | { kind: 'not-found' } | { kind: 'failed'; message: string };

/** Reads that fail in a row before the last read after the container's end gives up. */
const FINAL_READ_TRIES = 3;

export class PodLogFollower {
  private containerEnded = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private abortCurrent: (() => void) | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly log: Log,
    private readonly target: { namespace: string; podName: string },
    private readonly writer: AttemptLogWriter,
    private readonly logger: Logger | undefined,
    private readonly options: LogFollowerOptions,
  ) {}

  /** Starts following; later calls do nothing. */
  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Tells the follower the container has ended, and resolves once every line is stored: the
   * follow stream is given `endWaitMs` to close, then one more read collects the rest.
   */
  async finish(): Promise<void> {
    this.containerEnded = true;
    this.loop ??= this.run();
    this.wakeUp?.();
    const timer = setTimeout(() => this.abortCurrent?.(), this.options.endWaitMs);
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops reading at once, e.g. when the pod is being deleted on cancel. */
  stop(): void {
    this.stopped = true;
    this.abortCurrent?.();
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let emptyStreams = 0;
    while (!this.stopped) {
      const finalRead = this.containerEnded;
      const outcome = await this.readOnce(!finalRead);
      if (this.stopped) return;

      if (outcome.kind === 'ended') {
        failures = 0;
        if (finalRead) return;
        // A follow stream that closes before the container ended was dropped: resume it. Streams
        // that keep closing with nothing new (a container that ended while the watch is late to
        // report it) are asked for less and less often.
        emptyStreams = outcome.storedLines === 0 ? emptyStreams + 1 : 0;
        if (!this.containerEnded) await this.sleep(Math.min(this.options.retryDelayMs * 2 ** emptyStreams, 30_000));
        continue;
      }
      if (outcome.kind === 'not-found') return;
      if (outcome.kind === 'not-started') {
        if (finalRead) return;
        await this.sleep(this.options.retryDelayMs);
        continue;
      }

      // A follow stream cut off after the container ended (see `finish`) is not a failure: the last read follows.
      if (!finalRead && this.containerEnded) continue;

      failures += 1;
      this.logger?.warn({ podName: this.target.podName, error: outcome.message, failures }, 'reading the pod log failed; retrying');
      if (finalRead && failures >= FINAL_READ_TRIES) {
        this.writer.appendSystem(`the last lines of the pod log could not be read: ${outcome.message}`);
        return;
      }
      await this.sleep(Math.min(this.options.retryDelayMs * 2 ** failures, 30_000));
    }
  }

  /** Sends one log request and stores its new lines; resolves when the response ends or fails. */
  private readOnce(follow: boolean): Promise<ReadOutcome> {
    const filter = new ResumeFilter(this.writer.cursor());
    const splitter = new LineSplitter();
    let storedLines = 0;
    const store = (lines: string[]) => {
      const fresh = lines.map(parseTimestampedLine).filter((line) => filter.accept(line));
      this.writer.appendStreamLines(fresh, filter.position());
      storedLines += fresh.length;
    };

    return new Promise<ReadOutcome>((resolve) => {
      let done = false;
      const settle = (outcome: ReadOutcome) => {
        if (done) return;
        done = true;
        this.abortCurrent = undefined;
        resolve(outcome);
      };

      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          try {
            store(splitter.push(chunk));
            callback();
          } catch (error) {
            callback(error as Error);
          }
        },
      });
      // client-node pipes the response body into the sink; a dropped connection is an error on the
      // body, which `pipe` does not pass on, so it is caught here.
      sink.on('pipe', (source: NodeJS.ReadableStream) => source.on('error', (error: Error) => settle({ kind: 'failed', message: error.message })));
      sink.on('error', (error) => settle({ kind: 'failed', message: `storing the log failed: ${error.message}` }));
      sink.on('finish', () => {
        if (!follow) {
          // The last read of an ended container: its final line may lack a newline.
          const rest = splitter.flush();
          if (rest !== undefined) store([rest]);
        }
        settle({ kind: 'ended', storedLines });
      });

      const sinceTime = sinceTimeFor(this.writer.cursor());
      this.log
        .log(this.target.namespace, this.target.podName, STEP_CONTAINER, sink, { follow, timestamps: true, ...(sinceTime ? { sinceTime } : {}) })
        .then(
          (controller) => {
            if (done) return;
            this.abortCurrent = () => controller.abort();
            if (this.stopped) controller.abort();
          },
          (error: unknown) => {
            const problem = describeApiError(error);
            if (problem.status === 400) settle({ kind: 'not-started' });
            else if (problem.status === 404) settle({ kind: 'not-found' });
            else settle({ kind: 'failed', message: problem.message });
          },
        );
    });
  }

  private sleep(ms: number): Promise<void> {
    return wakeableSleep(ms, (wake) => {
      this.wakeUp = wake;
    });
  }
}
