'use client';

import { useSyncExternalStore } from 'react';

import { formatDateTime, formatUtcDateTime } from '@/components/ui/time-format';

const subscribeToNothing = () => () => {};

function useInBrowser(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

/**
 * A timestamp in the browser's time zone with UTC on hover, safe to render on the server: the
 * server and the first client render show UTC (the server cannot know the browser's zone), then
 * the browser switches to local time without a hydration mismatch.
 */
export function ClientTime({ iso, className }: { iso: string; className?: string }) {
  const inBrowser = useInBrowser();

  return (
    <time dateTime={iso} title={formatUtcDateTime(iso)} className={className}>
      {inBrowser ? formatDateTime(iso) : formatUtcDateTime(iso)}
    </time>
  );
}

/**
 * Shows the time zone of `ClientTime`, in brackets for a column header: `(UTC)` on the server and
 * the first client render, then the browser's zone, e.g. `(Europe/Berlin)`.
 */
export function ClientTimeZone({ className }: { className?: string }) {
  const inBrowser = useInBrowser();
  const timeZone = inBrowser ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
  return <span className={className}>({timeZone})</span>;
}
