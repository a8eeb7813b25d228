/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * /version, /api, /api/v1, /apis and namespaces/{name}: the little discovery a client needs for
 * a reachability check.
 */
import type { ServerResponse } from 'node:http';

import { notFound } from './api-errors';
import { sendJson } from './http-io';
import type { StandinContext } from './standin-context';

/** The version the stand-in reports; its API behaviour follows Kubernetes 1.31. */
export const STANDIN_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-standin',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-08-13T00:00:00Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const RESOURCES = [
  { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['list', 'watch'], shortNames: ['ev'] },
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get'], shortNames: ['ns'] },
  {
    name: 'persistentvolumeclaims',
    singularName: 'persistentvolumeclaim',
    namespaced: true,
    kind: 'PersistentVolumeClaim',
    verbs: ['create', 'delete', 'get', 'list'],
    shortNames: ['pvc'],
  },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'], shortNames: ['po'] },
  { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
];

export function sendVersion(res: ServerResponse): void {
  sendJson(res, 200, STANDIN_VERSION);
}

export function sendApiVersions(res: ServerResponse, serverAddress: string): void {
  sendJson(res, 200, {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  });
}

export function sendCoreResources(res: ServerResponse): void {
  sendJson(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: RESOURCES });
}

export function sendApiGroups(res: ServerResponse): void {
  sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
}

export function getNamespace(context: StandinContext, res: ServerResponse, name: string): void {
  if (!context.namespaces.has(name)) throw notFound('namespaces', name);
  sendJson(res, 200, {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name,
      uid: `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0').slice(-12)}`,
      resourceVersion: '1',
      creationTimestamp: '2024-01-01T00:00:00Z',
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}
