/**
 * The stored log line format and its parsing. Pipedeck writes each line of a step attempt's log as
 * `<ISO time> <stdout|stderr|system> <text>`, where `system` lines are Pipedeck's own messages.
 */

export const LOG_STREAMS = ['stdout', 'stderr', 'system'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

/** One parsed log line. */
export interface LogLine {
  /** ISO 8601 time the line was written, or null when the line does not follow the format. */
  time: string | null;
  stream: LogStream;
  /** The line as the step wrote it, ANSI escape codes included. */
  text: string;
}

// The text after the stream name may be empty, and then the separating space may be missing too.
const LOG_LINE_PATTERN = /^(\d{4}-\d{2}-\d{2}T\S+) (stdout|stderr|system)(?: (.*))?$/s;

/**
 * Parses one stored log line. A line that does not follow the format is kept whole as stdout text
 * with no time, so nothing a step printed is ever dropped.
 */
export function parseLogLine(raw: string): LogLine {
  const match = LOG_LINE_PATTERN.exec(raw);
  if (!match) {
    return { time: null, stream: 'stdout', text: raw };
  }

  return { time: match[1] ?? null, stream: match[2] as LogStream, text: match[3] ?? '' };
}

/**
 * Returns what a terminal would show for a line that contains carriage returns: the text after the
 * last `\r`. Progress bars (tqdm, curl, pip) redraw one line this way, and showing every redraw
 * would make the line unreadable.
 */
export function collapseCarriageReturns(text: string): string {
  const trimmed = text.endsWith('\r') ? text.replace(/\r+$/, '') : text;
  const lastReturn = trimmed.lastIndexOf('\r');
  return lastReturn === -1 ? trimmed : trimmed.slice(lastReturn + 1);
}
