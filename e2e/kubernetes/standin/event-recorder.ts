/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Records core/v1 Events about pods the way the kubelet and scheduler do, including the
 * aggregation of repeats (same reason and message: `count` goes up, `lastTimestamp` moves).
 */
import { randomUUID } from 'node:crypto';

import { formatSeconds, nowNs } from './clock';
import type { ResourceStore } from './resource-store';
import type { EventObject, PodObject } from './types';

export const NODE_NAME = 'standin-node';

/** Which component reports an event, as the `source.component` field names it. */
export type EventSource = 'kubelet' | 'default-scheduler' | 'kernel-monitor';

export interface PodEvent {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  source?: EventSource;
  /** e.g. `spec.containers{main}` for container events. */
  fieldPath?: string;
}

export class EventRecorder {
  constructor(private readonly events: ResourceStore<EventObject>) {}

  record(pod: PodObject, event: PodEvent): void {
    const namespace = pod.metadata.namespace;
    const repeat = this.events
      .list(namespace)
      .find(
        (existing) =>
          existing.involvedObject.uid === pod.metadata.uid &&
          existing.reason === event.reason &&
          existing.message === event.message,
      );
    const now = formatSeconds();
    if (repeat) {
      this.events.update(namespace, repeat.metadata.name, (existing) => {
        existing.count += 1;
        existing.lastTimestamp = now;
      });
      return;
    }

    const source = event.source ?? 'kubelet';
    this.events.create({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: {
        // Like client-go's recorder: the suffix is the time in hex nanoseconds, so names sort by time.
        name: `${pod.metadata.name}.${nowNs().toString(16)}`,
        namespace,
        uid: randomUUID(),
        resourceVersion: '',
        creationTimestamp: now,
      },
      involvedObject: {
        kind: 'Pod',
        namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: pod.metadata.resourceVersion,
        ...(event.fieldPath ? { fieldPath: event.fieldPath } : {}),
      },
      reason: event.reason,
      message: event.message,
      source: source === 'default-scheduler' ? { component: source } : { component: source, host: NODE_NAME },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: event.type ?? 'Normal',
      eventTime: null,
      reportingComponent: source,
      reportingInstance: source === 'default-scheduler' ? '' : NODE_NAME,
    });
  }
}
