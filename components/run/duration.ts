/** Elapsed time of runs, steps and attempts. */

/**
 * Returns the milliseconds between `startedAt` and `finishedAt`, or up to `nowMs` while not
 * finished. Returns null when it has not started. Never negative, so a browser clock behind the
 * server's shows 0 rather than a negative time.
 */
export function elapsedMs(startedAt: string | null, finishedAt: string | null, nowMs: number): number | null {
  if (!startedAt) {
    return null;
  }

  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : nowMs;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return null;
  }
  return Math.max(0, end - start);
}

/** Formats a duration for people, at most two units: `0.4s`, `45s`, `3m 05s`, `2h 03m`, `1d 04h`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) {
    // Below ten seconds, tenths of a second separate a quick step from an instant one.
    return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  }

  const totalSeconds = Math.floor(ms / 1000);
  const seconds = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const minutes = totalMinutes % 60;
  const totalHours = Math.floor(totalMinutes / 60);
  const hours = totalHours % 24;
  const days = Math.floor(totalHours / 24);
  const pad = (value: number) => String(value).padStart(2, '0');

  if (days > 0) {
    return `${days}d ${pad(hours)}h`;
  }
  if (totalHours > 0) {
    return `${totalHours}h ${pad(minutes)}m`;
  }
  if (totalMinutes > 0) {
    return `${totalMinutes}m ${pad(seconds)}s`;
  }
  return `${seconds}s`;
}
