/** Date and time text for timestamps from the API (ISO 8601, UTC). */

const localFormatters = new Map<string, Intl.DateTimeFormat>();

function localFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = localFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    localFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats an ISO time as `YYYY-MM-DD HH:MM:SS` in the browser's time zone (or `timeZone`).
 * Returns the input unchanged when it is not a valid time.
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }

  const parts = Object.fromEntries(localFormatter(timeZone).formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Formats an ISO time as `YYYY-MM-DD HH:MM:SS UTC`, the text shown on hover. */
export function formatUtcDateTime(iso: string): string {
  return `${formatDateTime(iso, 'UTC')} UTC`;
}
