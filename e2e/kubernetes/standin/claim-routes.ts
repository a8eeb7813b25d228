/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * core/v1 persistentvolumeclaims: create, get, list, delete. A claim is Bound at once to a new
 * temporary directory, which pods that mount the claim use (see kubelet-paths.ts). Deleting a
 * claim removes its directory, like a Delete reclaim policy; the pvc-protection finalizer that
 * keeps a claim while pods use it is not modelled.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

import { alreadyExists, badRequest, invalid, notFound } from './api-errors';
import { formatSeconds } from './clock';
import { readJsonBody, sendJson } from './http-io';
import { listResponse } from './list-response';
import { requireNamespace } from './pod-routes';
import { parseLabelSelector } from './selectors';
import type { StandinContext } from './standin-context';
import type { PersistentVolumeClaimObject } from './types';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export async function createClaim(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string): Promise<void> {
  const body = (await readJsonBody(req)) as PersistentVolumeClaimObject | undefined;
  requireNamespace(context, namespace);
  if (!body || typeof body !== 'object') throw badRequest('Object \'Kind\' is missing in \'null\'');

  const name = body.metadata?.name ?? '';
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    throw invalid('PersistentVolumeClaim', name, [
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` },
    ]);
  }
  const storage = body.spec?.resources?.requests?.storage;
  if (!storage) {
    throw invalid('PersistentVolumeClaim', name, [{ field: 'spec.resources[storage]', reason: 'FieldValueRequired', message: 'Required value' }]);
  }
  if (context.claims.get(namespace, name)) throw alreadyExists('persistentvolumeclaims', name);

  const uid = randomUUID();
  const directory = fs.mkdtempSync(path.join(context.rootDir, `claim-${name.slice(0, 40)}-`));
  context.claimDirectories.set(`${namespace}/${name}`, directory);
  const accessModes = body.spec.accessModes ?? ['ReadWriteOnce'];
  const created = context.claims.create({
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    metadata: {
      ...body.metadata,
      name,
      namespace,
      uid,
      resourceVersion: '',
      creationTimestamp: formatSeconds(),
    },
    spec: { ...body.spec, accessModes, storageClassName: body.spec.storageClassName ?? 'standard', volumeMode: 'Filesystem', volumeName: `pvc-${uid}` },
    status: { phase: 'Bound', accessModes, capacity: { storage } },
  });
  sendJson(res, 201, created);
}

export function getClaim(context: StandinContext, res: ServerResponse, namespace: string, name: string): void {
  requireNamespace(context, namespace);
  const claim = context.claims.get(namespace, name);
  if (!claim) throw notFound('persistentvolumeclaims', name);
  sendJson(res, 200, claim);
}

export function listClaims(context: StandinContext, res: ServerResponse, namespace: string, query: URLSearchParams): void {
  requireNamespace(context, namespace);
  const matches = parseLabelSelector(query.get('labelSelector'));
  const items = context.claims.list(namespace).filter((claim) => matches(claim.metadata.labels));
  sendJson(res, 200, listResponse('PersistentVolumeClaimList', items, query, context.clock.now()));
}

export function deleteClaim(context: StandinContext, res: ServerResponse, namespace: string, name: string): void {
  requireNamespace(context, namespace);
  const removed = context.claims.remove(namespace, name);
  if (!removed) throw notFound('persistentvolumeclaims', name);

  const directory = context.claimDirectories.get(`${namespace}/${name}`);
  context.claimDirectories.delete(`${namespace}/${name}`);
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
  sendJson(res, 200, removed);
}
