/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Watches: newline-delimited JSON events over a chunked 200 response, as kube-apiserver's watch
 * cache serves them. Without a resourceVersion (or with "0") the current objects come first as
 * ADDED; with one, the changes after it are replayed, or an ERROR event with a 410 Expired Status
 * is sent when they are no longer kept. With a selector, a change that makes an object match or
 * stop matching arrives as ADDED or DELETED. Bookmarks come every `bookmarkIntervalMs` when asked
 * for (the real server sends about one a minute).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { badRequest, expiredStatus } from './api-errors';
import type { FaultInjector, WatchedResource } from './faults';
import type { ChangeEntry, ResourceStore, ResourceVersionClock } from './resource-store';
import type { StoredObject, WatchEvent } from './types';

/** A watch without timeoutSeconds ends after this long; the real server picks 30 to 60 minutes. */
const DEFAULT_TIMEOUT_SECONDS = 1800;

/** An open watch as faults and shutdown reach it. */
export interface OpenWatch {
  /** Sends an ERROR event with a 410 Status and ends the stream. */
  expire(): void;
  /** Stops sending anything, bookmarks included, and keeps the connection open. */
  stall(): void;
  close(): void;
}

export interface WatchRequest<T extends StoredObject> {
  store: ResourceStore<T>;
  clock: ResourceVersionClock;
  resource: WatchedResource;
  /** Kind named in bookmark objects, e.g. `Pod`. */
  kind: string;
  namespace: string;
  matches(object: T): boolean;
  query: URLSearchParams;
  faults: FaultInjector;
  openWatches: Set<OpenWatch>;
  bookmarkIntervalMs: number;
}

function parseResourceVersion(value: string | null): number | undefined {
  if (value === null || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`resourceVersion: Invalid value: "${value}": must be a non-negative integer`);
  return Number(value);
}

/** Turns a stored change into the event a selected watch receives, or undefined when it receives none. */
function eventFor<T extends StoredObject>(change: ChangeEntry<T>, matches: (object: T) => boolean): WatchEvent | undefined {
  const matchesNow = matches(change.object);
  if (change.type !== 'MODIFIED') return matchesNow ? { type: change.type, object: change.object } : undefined;

  const matchedBefore = change.previous ? matches(change.previous) : false;
  if (matchesNow && matchedBefore) return { type: 'MODIFIED', object: change.object };
  if (matchesNow) return { type: 'ADDED', object: change.object };
  if (matchedBefore) return { type: 'DELETED', object: change.object };
  return undefined;
}

export function serveWatch<T extends StoredObject>(req: IncomingMessage, res: ServerResponse, watch: WatchRequest<T>): void {
  const resourceVersion = parseResourceVersion(watch.query.get('resourceVersion'));
  const inNamespace = (object: T) => object.metadata.namespace === watch.namespace && watch.matches(object);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let stalled = false;
  let closed = false;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const timeoutSeconds = Number(watch.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
  const timeoutTimer = setTimeout(() => close(), (Number.isFinite(timeoutSeconds) ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS) * 1000);
  let unsubscribe = () => {};

  const write = (event: WatchEvent) => {
    if (!stalled && !closed) res.write(`${JSON.stringify(event)}\n`);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearTimeout(bookmarkTimer);
    clearTimeout(timeoutTimer);
    watch.openWatches.delete(open);
    res.end();
  };
  const sendExpired = (oldest: number) => {
    stalled = false;
    write({ type: 'ERROR', object: expiredStatus(resourceVersion ?? 0, oldest) });
    close();
  };
  // A stalled watch looks like a connection lost in the network: no events, no bookmarks, and the
  // server's timeout never ends it either.
  const stall = () => {
    stalled = true;
    clearTimeout(timeoutTimer);
  };
  const open: OpenWatch = { expire: () => sendExpired(watch.clock.now()), stall, close };
  watch.openWatches.add(open);
  req.once('close', close);
  res.once('close', close);

  if (watch.faults.takeWatchFault('stall', watch.resource)) {
    stall();
    return;
  }
  if (resourceVersion !== undefined && watch.faults.takeWatchFault('expire', watch.resource)) {
    sendExpired(watch.clock.now());
    return;
  }

  if (resourceVersion === undefined) {
    for (const object of watch.store.list(watch.namespace).filter(watch.matches)) write({ type: 'ADDED', object });
  } else {
    const changes = watch.store.changesSince(resourceVersion);
    if ('expired' in changes) {
      sendExpired(changes.expired);
      return;
    }
    for (const change of changes) {
      const event = change.object.metadata.namespace === watch.namespace ? eventFor(change, watch.matches) : undefined;
      if (event) write(event);
    }
  }

  unsubscribe = watch.store.subscribe((change) => {
    const event = change.object.metadata.namespace === watch.namespace ? eventFor(change, inNamespace) : undefined;
    if (event) write(event);
  });

  if (watch.query.get('allowWatchBookmarks') === 'true') {
    const bookmark = () => {
      write({ type: 'BOOKMARK', object: { kind: watch.kind, apiVersion: 'v1', metadata: { resourceVersion: String(watch.clock.now()) } } });
      if (!closed) bookmarkTimer = setTimeout(bookmark, watch.bookmarkIntervalMs);
    };
    bookmarkTimer = setTimeout(bookmark, watch.bookmarkIntervalMs);
  }
}
