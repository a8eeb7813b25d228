/**
 * Waiting for a file the supervisor writes into an attempt directory. fs.watch reacts at once where
 * the file system reports changes. A timer re-checks as a fallback for network file systems and
 * missed events, and also gives `check` the chance to notice a dead supervisor.
 */
import fs from 'node:fs';

/** A wait in progress; `stop` ends it without settling `done`. */
export interface AttemptDirWatch<T> {
  done: Promise<T>;
  stop(): void;
}

/**
 * Calls `check` on every change in `attemptDir` and every `intervalMs` until it returns a value, then
 * resolves with that value. If `check` throws, the wait rejects with that error. Neither the watcher
 * nor the timer keeps the Node process alive.
 */
export function watchAttemptDir<T>(attemptDir: string, check: () => T | undefined, intervalMs: number): AttemptDirWatch<T> {
  let watcher: fs.FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const stop = () => {
    finished = true;
    watcher?.close();
    if (timer) clearInterval(timer);
  };

  const done = new Promise<T>((resolve, reject) => {
    const poll = () => {
      if (finished) return;
      try {
        const value = check();
        if (value === undefined) return;
        stop();
        resolve(value);
      } catch (error) {
        stop();
        reject(error);
      }
    };

    try {
      watcher = fs.watch(attemptDir, { persistent: false }, poll);
      watcher.on('error', () => watcher?.close());
    } catch {
      // Some file systems do not support watching; the timer alone still finds the file.
      watcher = undefined;
    }
    timer = setInterval(poll, intervalMs);
    timer.unref();
    poll();
  });

  return { done, stop };
}
