/** The browser's time zone, named for people next to times shown in it. */

/**
 * Returns the IANA name of the browser's time zone, e.g. `Europe/Berlin`, or `UTC` when the
 * browser does not report one. Call it only on the client: the server's zone may differ.
 */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
