import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LARGE_LOG_CHUNK_BYTES, LogFollower, logRetryDelay, nextLogPollDelay } from './log-follower';

interface FakeResponse {
  status?: number;
  body: string;
  offset?: number;
  finished?: boolean;
}

/** Returns a fetch that replies from a queue and records the requested URLs. */
function fakeFetch(responses: FakeResponse[]) {
  const urls: string[] = [];
  const fetchLog = vi.fn(async (input: RequestInfo | URL) => {
    urls.push(String(input));
    const next = responses.shift();
    if (!next) {
      throw new Error('no response left in the fake');
    }
    const headers = new Headers();
    if (next.offset !== undefined) {
      headers.set('x-log-offset', String(next.offset));
    }
    headers.set('x-attempt-finished', next.finished ? 'true' : 'false');
    const status = next.status ?? 200;
    const bytes = new TextEncoder().encode(next.body);
    // A plain object rather than a real Response: its body methods settle in microtasks only, so
    // fake timers alone decide when the next poll happens.
    return {
      ok: status >= 200 && status < 300,
      status,
      headers,
      arrayBuffer: async () => bytes.buffer,
      json: async () => JSON.parse(next.body) as unknown,
    } as Response;
  });
  return { fetchLog: fetchLog as unknown as typeof fetch, urls };
}

function follower(fetchLog: typeof fetch) {
  return new LogFollower({ url: (offset) => `/logs?offset=${offset}`, fetch: fetchLog, pollIntervalMs: 1000 });
}

describe('nextLogPollDelay', () => {
  it('waits the poll interval while the attempt runs', () => {
    expect(nextLogPollDelay({ attemptFinished: false, byteLength: 10 }, 1000)).toBe(1000);
    expect(nextLogPollDelay({ attemptFinished: false, byteLength: 0 }, 1000)).toBe(1000);
  });

  it('reads again at once after a large chunk', () => {
    expect(nextLogPollDelay({ attemptFinished: false, byteLength: LARGE_LOG_CHUNK_BYTES }, 1000)).toBe(0);
  });

  it('reads a finished attempt until a read is empty', () => {
    expect(nextLogPollDelay({ attemptFinished: true, byteLength: 5 }, 1000)).toBe(0);
    expect(nextLogPollDelay({ attemptFinished: true, byteLength: 0 }, 1000)).toBeNull();
  });
});

describe('logRetryDelay', () => {
  it('doubles from the poll interval up to 30 seconds', () => {
    expect(logRetryDelay(1, 1000)).toBe(1000);
    expect(logRetryDelay(2, 1000)).toBe(2000);
    expect(logRetryDelay(3, 1000)).toBe(4000);
    expect(logRetryDelay(10, 1000)).toBe(30_000);
  });
});

describe('LogFollower', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('appends only new bytes using the returned offset', async () => {
    const { fetchLog, urls } = fakeFetch([
      { body: '2024-05-01T12:00:00Z stdout one\n2024-05-01T12:00:01Z stdout tw', offset: 60 },
      { body: 'o\n', offset: 62 },
      { body: '', offset: 62, finished: true },
    ]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.lines.map((line) => line.text)).toEqual(['one']);
    expect(log.getSnapshot()).toEqual({
      lineCount: 1,
      state: 'following',
      error: null,
      partialLine: '2024-05-01T12:00:01Z stdout tw',
    });

    await vi.advanceTimersByTimeAsync(1000);
    expect(log.lines.map((line) => line.text)).toEqual(['one', 'two']);
    expect(log.getSnapshot().partialLine).toBe('');

    await vi.advanceTimersByTimeAsync(1000);
    expect(log.getSnapshot().state).toBe('complete');
    expect(urls).toEqual(['/logs?offset=0', '/logs?offset=60', '/logs?offset=62']);

    await vi.advanceTimersByTimeAsync(5000);
    expect(urls).toHaveLength(3);
  });

  it('reads once more after the attempt finished, then keeps the last unterminated line', async () => {
    const { fetchLog, urls } = fakeFetch([
      { body: '2024-05-01T12:00:00Z stdout a\n2024-05-01T12:00:01Z system exit code 0', offset: 70, finished: true },
      { body: '', offset: 70, finished: true },
    ]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    // The fake clock gives a 0 ms timer set during a tick 1 ms, so "at once" is 1 ms here.
    await vi.advanceTimersByTimeAsync(1);

    expect(urls).toEqual(['/logs?offset=0', '/logs?offset=70']);
    expect(log.lines).toEqual([
      { time: '2024-05-01T12:00:00Z', stream: 'stdout', text: 'a' },
      { time: '2024-05-01T12:00:01Z', stream: 'system', text: 'exit code 0' },
    ]);
    expect(log.getSnapshot()).toEqual({ lineCount: 2, state: 'complete', error: null, partialLine: '' });
  });

  it('counts bytes itself when the offset header is missing', async () => {
    const { fetchLog, urls } = fakeFetch([{ body: 'héllo\n' }, { body: '', finished: true }]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(1000);

    expect(urls).toEqual(['/logs?offset=0', '/logs?offset=7']);
  });

  it('waits while the log does not exist yet', async () => {
    const { fetchLog, urls } = fakeFetch([
      { status: 404, body: '{"error":{"code":"not_found","message":"no log yet"}}' },
      { body: '2024-05-01T12:00:00Z stdout started\n', offset: 36 },
    ]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.getSnapshot().state).toBe('waiting');

    await vi.advanceTimersByTimeAsync(1000);
    expect(log.getSnapshot().state).toBe('following');
    expect(log.lines.map((line) => line.text)).toEqual(['started']);
    expect(urls).toEqual(['/logs?offset=0', '/logs?offset=0']);
  });

  it('shows the server error and retries with a longer delay', async () => {
    const { fetchLog, urls } = fakeFetch([
      { status: 500, body: '{"error":{"code":"internal","message":"disk read failed"}}' },
      { status: 502, body: 'Bad Gateway' },
      { body: '', finished: true },
    ]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.getSnapshot()).toEqual({ lineCount: 0, state: 'error', error: 'disk read failed', partialLine: '' });

    await vi.advanceTimersByTimeAsync(1000);
    expect(log.getSnapshot().error).toBe('loading the log failed with HTTP 502');

    await vi.advanceTimersByTimeAsync(1999);
    expect(urls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(urls).toHaveLength(3);
    expect(log.getSnapshot().state).toBe('complete');
  });

  it('stops polling on stop and resumes from the same offset', async () => {
    const { fetchLog, urls } = fakeFetch([
      { body: 'x\n', offset: 2 },
      { body: 'y\n', offset: 4 },
    ]);
    const log = follower(fetchLog);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    log.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(urls).toEqual(['/logs?offset=0']);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(urls).toEqual(['/logs?offset=0', '/logs?offset=2']);
    expect(log.lines.map((line) => line.text)).toEqual(['x', 'y']);
    log.stop();
  });

  it('notifies subscribers only when something changed', async () => {
    const { fetchLog } = fakeFetch([
      { body: 'x\n', offset: 2 },
      { body: '', offset: 2 },
    ]);
    const log = follower(fetchLog);
    const listener = vi.fn();
    log.subscribe(listener);

    log.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    log.stop();

    expect(listener).toHaveBeenCalledTimes(1);
  });
});
