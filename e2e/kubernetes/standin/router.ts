/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Maps a request to its call kind and handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { methodNotAllowed, pathNotFound } from './api-errors';
import type { CallKind } from './call-log';
import { createClaim, deleteClaim, getClaim, listClaims } from './claim-routes';
import { getNamespace, sendApiGroups, sendApiVersions, sendCoreResources, sendVersion } from './discovery-routes';
import { listOrWatchEvents } from './event-routes';
import { queryFlag } from './http-io';
import { streamPodLog } from './log-route';
import { createPod, deletePod, deletePodCollection, getPod, listOrWatchPods } from './pod-routes';
import type { StandinContext } from './standin-context';

export interface Route {
  kind: CallKind;
  /** Paths anyone may read without a token, as the default RBAC allows /version. */
  public?: boolean;
  handle(): Promise<void> | void;
}

const NAMESPACED = /^\/api\/v1\/namespaces\/([^/]+)(?:\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?)?$/;

/** Returns the route for a request, or a route that answers 404/405 as the real server does. */
export function routeRequest(context: StandinContext, req: IncomingMessage, res: ServerResponse, url: URL, serverAddress: string): Route {
  const method = req.method ?? 'GET';
  const query = url.searchParams;
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const fail = (kind: CallKind, error: Error): Route => ({ kind, handle: () => Promise.reject(error) });

  if (path === '/version' && method === 'GET') return { kind: 'discovery', public: true, handle: () => sendVersion(res) };
  if (path === '/api' && method === 'GET') return { kind: 'discovery', handle: () => sendApiVersions(res, serverAddress) };
  if (path === '/api/v1' && method === 'GET') return { kind: 'discovery', handle: () => sendCoreResources(res) };
  if (path === '/apis' && method === 'GET') return { kind: 'discovery', handle: () => sendApiGroups(res) };

  const match = NAMESPACED.exec(path);
  if (!match) return fail('unknown', pathNotFound());
  const [, namespace = '', resource, name, subresource] = match.map((part) => (part === undefined ? undefined : decodeURIComponent(part)));

  if (resource === undefined) {
    return method === 'GET' ? { kind: 'namespaces.get', handle: () => getNamespace(context, res, namespace) } : fail('unknown', methodNotAllowed(method));
  }

  if (resource === 'pods' && name === undefined) {
    if (method === 'GET') {
      const kind = queryFlag(query.get('watch')) ? 'pods.watch' : 'pods.list';
      return { kind, handle: () => listOrWatchPods(context, req, res, namespace, query) };
    }
    if (method === 'POST') return { kind: 'pods.create', handle: () => createPod(context, req, res, namespace, query) };
    if (method === 'DELETE') return { kind: 'pods.deletecollection', handle: () => deletePodCollection(context, req, res, namespace, query) };
  }
  if (resource === 'pods' && name !== undefined && subresource === undefined) {
    if (method === 'GET') return { kind: 'pods.get', handle: () => getPod(context, res, namespace, name) };
    if (method === 'DELETE') return { kind: 'pods.delete', handle: () => deletePod(context, req, res, namespace, name, query) };
  }
  if (resource === 'pods' && name !== undefined && subresource === 'log' && method === 'GET') {
    return { kind: 'pods.log', handle: () => streamPodLog(context, req, res, namespace, name, query) };
  }

  if (resource === 'events' && name === undefined && method === 'GET') {
    const kind = queryFlag(query.get('watch')) ? 'events.watch' : 'events.list';
    return { kind, handle: () => listOrWatchEvents(context, req, res, namespace, query) };
  }

  if (resource === 'persistentvolumeclaims' && subresource === undefined) {
    if (name === undefined && method === 'POST') return { kind: 'persistentvolumeclaims.create', handle: () => createClaim(context, req, res, namespace) };
    if (name === undefined && method === 'GET') return { kind: 'persistentvolumeclaims.list', handle: () => listClaims(context, res, namespace, query) };
    if (name !== undefined && method === 'GET') return { kind: 'persistentvolumeclaims.get', handle: () => getClaim(context, res, namespace, name) };
    if (name !== undefined && method === 'DELETE') return { kind: 'persistentvolumeclaims.delete', handle: () => deleteClaim(context, res, namespace, name) };
  }

  return fail('unknown', pathNotFound());
}
