/**
 * Incremental reading of one attempt's log over HTTP. Each request fetches the bytes after the
 * last offset the server reported, so a long log is downloaded once and only new output follows.
 * It has no React code, and the React hook subscribes to it as an external store.
 */
import { LogReader } from './log-chunk';
import type { LogLine } from './log-line';

/** State of reading a log: not there yet, still being written, fully read, or failing to load. */
export type LogFollowState = 'loading' | 'waiting' | 'following' | 'complete' | 'error';

/** State that changes between polls. Every change makes a new object, so it can be compared by identity. */
export interface LogSnapshot {
  /** Number of parsed lines in `LogFollower.lines`. */
  lineCount: number;
  state: LogFollowState;
  /** The last load failure as a person should read it, or null. */
  error: string | null;
  /** The unfinished last line, shown until its newline arrives. */
  partialLine: string;
}

export interface LogFollowerOptions {
  /** URL of the log from a byte offset. */
  url: (offset: number) => string;
  fetch?: typeof fetch;
  /** Delay between polls while the attempt is running, in milliseconds. */
  pollIntervalMs?: number;
}

/** One response of the log endpoint. */
export interface LogChunk {
  bytes: Uint8Array;
  nextOffset: number;
  attemptFinished: boolean;
}

/** A chunk at least this large suggests more is already waiting, so the next read starts at once. */
export const LARGE_LOG_CHUNK_BYTES = 256 * 1024;

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Returns the delay before the next read after a chunk, in milliseconds, or null when the log is
 * complete. A finished attempt is read once more until a read returns nothing, because the server
 * may flag the attempt finished before its last bytes were in the response.
 */
export function nextLogPollDelay(chunk: Pick<LogChunk, 'attemptFinished'> & { byteLength: number }, pollIntervalMs: number): number | null {
  if (chunk.attemptFinished) {
    return chunk.byteLength === 0 ? null : 0;
  }
  return chunk.byteLength >= LARGE_LOG_CHUNK_BYTES ? 0 : pollIntervalMs;
}

/** Returns the delay before retry number `failures` (1-based): doubling from the poll interval, capped at 30 s. */
export function logRetryDelay(failures: number, pollIntervalMs: number): number {
  return Math.min(pollIntervalMs * 2 ** Math.max(0, failures - 1), MAX_RETRY_DELAY_MS);
}

class LogHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readErrorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) {
      return body.error.message;
    }
  } catch {
    // The body is not the API's JSON error shape; the status line is all there is to show.
  }
  return `loading the log failed with HTTP ${response.status}`;
}

/** Polls one attempt's log and keeps every line read so far. */
export class LogFollower {
  /** Every complete line read so far, in order. Appended to in place; watch `lineCount` for changes. */
  readonly lines: LogLine[] = [];

  private readonly options: Required<LogFollowerOptions>;
  private readonly reader = new LogReader();
  private readonly listeners = new Set<() => void>();
  private snapshot: LogSnapshot = { lineCount: 0, state: 'loading', error: null, partialLine: '' };
  private offset = 0;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private running = false;

  constructor(options: LogFollowerOptions) {
    this.options = {
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      url: options.url,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LogSnapshot => this.snapshot;

  /** Starts polling; does nothing when already started or complete. */
  start(): void {
    if (this.running || this.snapshot.state === 'complete') {
      return;
    }
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and aborts the request in flight; `start` resumes from the same offset. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;

    let chunk: LogChunk;
    try {
      chunk = await this.fetchChunk(controller.signal);
    } catch (error) {
      if (controller.signal.aborted || !this.running) {
        return;
      }
      this.onFailure(error);
      return;
    }
    if (!this.running) {
      return;
    }

    this.failures = 0;
    this.offset = chunk.nextOffset;
    const lines = this.reader.push(chunk.bytes);
    const delay = nextLogPollDelay({ attemptFinished: chunk.attemptFinished, byteLength: chunk.bytes.byteLength }, this.options.pollIntervalMs);
    if (delay === null) {
      lines.push(...this.reader.end());
    }
    for (const line of lines) {
      this.lines.push(line);
    }

    this.update({ state: delay === null ? 'complete' : 'following', error: null });
    if (delay === null) {
      this.running = false;
      return;
    }
    this.schedule(delay);
  }

  private async fetchChunk(signal: AbortSignal): Promise<LogChunk> {
    const response = await this.options.fetch(this.options.url(this.offset), { signal, cache: 'no-store' });
    if (!response.ok) {
      throw new LogHttpError(response.status, await readErrorMessage(response));
    }

    const bytes = new Uint8Array(await response.arrayBuffer());
    const headerOffset = Number.parseInt(response.headers.get('x-log-offset') ?? '', 10);
    return {
      bytes,
      nextOffset: Number.isFinite(headerOffset) ? headerOffset : this.offset + bytes.byteLength,
      attemptFinished: response.headers.get('x-attempt-finished') === 'true',
    };
  }

  private onFailure(error: unknown): void {
    this.failures += 1;

    // A 404 before any byte was read means the attempt has not written its log yet.
    if (error instanceof LogHttpError && error.status === 404 && this.offset === 0) {
      this.update({ state: 'waiting', error: null });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      this.update({ state: 'error', error: message });
    }
    this.schedule(logRetryDelay(this.failures, this.options.pollIntervalMs));
  }

  private update(change: Pick<LogSnapshot, 'state' | 'error'>): void {
    const next: LogSnapshot = {
      ...change,
      lineCount: this.lines.length,
      partialLine: this.reader.pendingText,
    };
    const previous = this.snapshot;
    if (
      previous.lineCount === next.lineCount &&
      previous.state === next.state &&
      previous.error === next.error &&
      previous.partialLine === next.partialLine
    ) {
      return;
    }

    this.snapshot = next;
    for (const listener of this.listeners) {
      listener();
    }
  }
}
