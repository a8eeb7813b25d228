'use client';

import { useSyncExternalStore } from 'react';

import { formatDateTime, formatUtcDateTime } from '@/components/ui/time-format';

const subscribeToNothing = () => () => {};

/**
 * A timestamp in the browser's time zone with UTC on hover, safe to render on the server: the
 * server and the first client render show UTC (the server cannot know the browser's zone), then
 * the browser switches to local time without a hydration mismatch.
 */
export function ClientTime({ iso, className }: { iso: string; className?: string }) {
  const inBrowser = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );

  return (
    <time dateTime={iso} title={formatUtcDateTime(iso)} className={className}>
      {inBrowser ? formatDateTime(iso) : formatUtcDateTime(iso)}
    </time>
  );
}
