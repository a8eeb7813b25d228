/**
 * A pod's events (scheduling, image pulls, kills) copied into the attempt's log as `system` lines,
 * so the step panel shows them and they outlive the events' one-hour retention in the cluster.
 */
import type { CoreV1Event, CoreV1Api } from '@kubernetes/client-node';

import type { Logger } from '../../logger';
import { describeApiError } from './api-error';
import type { AttemptLogWriter } from './attempt-log-writer';

/** An event as one log line, with a key that changes when the event repeats. */
export interface EventLine {
  key: string;
  time: Date;
  text: string;
}

/**
 * Formats an event, e.g. `event Pulling: Pulling image "busybox"` or, for a warning,
 * `event warning BackOff: Back-off pulling image "nope" (4 times)`.
 */
export function formatEvent(event: CoreV1Event): EventLine {
  const count = event.series?.count ?? event.count ?? 1;
  const key = `${event.metadata.uid ?? event.metadata.name ?? ''}/${count}`;
  const time = toDate(event.lastTimestamp) ?? toDate(event.eventTime) ?? toDate(event.firstTimestamp) ?? new Date();
  const kind = event.type === 'Warning' ? 'warning ' : '';
  const repeats = count > 1 ? ` (${count} times)` : '';
  return { key, time, text: `event ${kind}${event.reason ?? 'Unknown'}: ${event.message ?? ''}${repeats}` };
}

/**
 * Lists the pod's events and writes the ones not written yet, oldest first. A failed list is
 * logged and skipped: events help a person, but the step's outcome never depends on them.
 */
export async function copyPodEvents(
  core: CoreV1Api,
  target: { namespace: string; podName: string },
  writer: AttemptLogWriter,
  logger: Logger | undefined,
): Promise<void> {
  let events: CoreV1Event[];
  try {
    const list = await core.listNamespacedEvent({ namespace: target.namespace, fieldSelector: `involvedObject.name=${target.podName}` });
    events = list.items;
  } catch (error) {
    logger?.warn({ podName: target.podName, error: describeApiError(error).message }, 'listing pod events failed');
    return;
  }

  const lines = events.map(formatEvent).sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const line of lines) writer.appendEvent(line.key, line.text, line.time);
}

function toDate(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
