/** Log timestamps as shown beside each line. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function timeFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hourCycle: 'h23',
      timeZone,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats a log line's ISO time as `HH:MM:SS.mmm` in the browser's time zone (or `timeZone`).
 * Returns the input unchanged when it is not a valid time.
 */
export function formatLogTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return timeFormatter(timeZone).format(date);
}
