import { formatDateTime, formatUtcDateTime } from './time-format';

/**
 * Shows a timestamp in the browser's time zone, with UTC on hover. Render it only on the client (e.g.
 * from fetched data), because the server's time zone may differ and break hydration.
 */
export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  return (
    <time dateTime={iso} title={formatUtcDateTime(iso)} className={className}>
      {formatDateTime(iso)}
    </time>
  );
}
