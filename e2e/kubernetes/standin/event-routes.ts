/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * core/v1 events: list and watch, with the field selectors the real server allows on events
 * (e.g. `involvedObject.name=my-pod`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { queryFlag, sendJson } from './http-io';
import { listResponse } from './list-response';
import { requireNamespace } from './pod-routes';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import type { StandinContext } from './standin-context';
import type { EventObject } from './types';
import { serveWatch } from './watch-stream';

const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  'metadata.name',
  'metadata.namespace',
];

function eventFields(event: EventObject): Record<string, string | undefined> {
  return {
    'involvedObject.kind': event.involvedObject.kind,
    'involvedObject.namespace': event.involvedObject.namespace,
    'involvedObject.name': event.involvedObject.name,
    'involvedObject.uid': event.involvedObject.uid,
    'involvedObject.apiVersion': event.involvedObject.apiVersion,
    'involvedObject.resourceVersion': event.involvedObject.resourceVersion,
    'involvedObject.fieldPath': event.involvedObject.fieldPath ?? '',
    reason: event.reason,
    reportingComponent: event.reportingComponent,
    source: event.source.component,
    type: event.type,
    'metadata.name': event.metadata.name,
    'metadata.namespace': event.metadata.namespace,
  };
}

export function listOrWatchEvents(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, query: URLSearchParams): void {
  requireNamespace(context, namespace);
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), EVENT_FIELDS);
  const matches = (event: EventObject) => labels(event.metadata.labels) && fields(eventFields(event));

  if (queryFlag(query.get('watch'))) {
    serveWatch(req, res, {
      store: context.events,
      clock: context.clock,
      resource: 'events',
      kind: 'Event',
      namespace,
      matches,
      query,
      faults: context.faults,
      openWatches: context.openWatches,
      bookmarkIntervalMs: context.bookmarkIntervalMs,
    });
    return;
  }
  sendJson(res, 200, listResponse('EventList', context.events.list(namespace).filter(matches), query, context.clock.now()));
}
