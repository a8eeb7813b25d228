/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * core/v1 pods: create, get, list, watch, delete (graceful) and deletecollection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { alreadyExists, ApiError, badRequest, internalError, notFound, serverTimeout, tooManyRequests } from './api-errors';
import { formatSeconds } from './clock';
import { queryFlag, readJsonBody, sendJson } from './http-io';
import { listResponse } from './list-response';
import { admitPod } from './pod-admission';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import type { StandinContext } from './standin-context';
import type { PodObject } from './types';
import { serveWatch } from './watch-stream';

const POD_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];

function podFields(pod: PodObject): Record<string, string | undefined> {
  return {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'spec.nodeName': pod.spec.nodeName ?? '',
    'spec.restartPolicy': pod.spec.restartPolicy,
    'spec.schedulerName': pod.spec.schedulerName as string | undefined,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.phase': pod.status.phase,
    'status.podIP': pod.status.podIP ?? '',
    'status.nominatedNodeName': '',
  };
}

/** Matches a pod against the request's labelSelector and fieldSelector. */
function podSelector(query: URLSearchParams): (pod: PodObject) => boolean {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), POD_FIELDS);
  return (pod) => labels(pod.metadata.labels) && fields(podFields(pod));
}

export function requireNamespace(context: StandinContext, namespace: string): void {
  if (!context.namespaces.has(namespace)) throw notFound('namespaces', namespace);
}

function requestFaultError(status: 500 | 429 | 504, retryAfterSeconds: number): ApiError {
  if (status === 429) return tooManyRequests(retryAfterSeconds);
  if (status === 504) return serverTimeout();
  return internalError('etcdserver: request timed out');
}

export async function createPod(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, query: URLSearchParams): Promise<void> {
  const body = (await readJsonBody(req)) as PodObject | undefined;
  requireNamespace(context, namespace);
  if (!body || typeof body !== 'object') throw badRequest('Object \'Kind\' is missing in \'null\'');
  if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }

  const fault = context.faults.takeRequestFault('pods.create');
  if (fault && !fault.storeFirst) throw requestFaultError(fault.status, fault.retryAfterSeconds);

  const pod = admitPod(body, namespace);
  if (context.pods.get(namespace, pod.metadata.name)) throw alreadyExists('pods', pod.metadata.name);
  if (query.get('dryRun') === 'All') {
    sendJson(res, 201, pod);
    return;
  }

  const created = context.pods.create(pod);
  context.createdPodNames.push(created.metadata.name);
  context.kubelet.admit(created);
  if (fault) throw requestFaultError(fault.status, fault.retryAfterSeconds);
  sendJson(res, 201, created);
}

export function getPod(context: StandinContext, res: ServerResponse, namespace: string, name: string): void {
  requireNamespace(context, namespace);
  const pod = context.pods.get(namespace, name);
  if (!pod) throw notFound('pods', name);
  sendJson(res, 200, pod);
}

export function listOrWatchPods(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, query: URLSearchParams): void {
  requireNamespace(context, namespace);
  const matches = podSelector(query);
  if (queryFlag(query.get('watch'))) {
    serveWatch(req, res, {
      store: context.pods,
      clock: context.clock,
      resource: 'pods',
      kind: 'Pod',
      namespace,
      matches,
      query,
      faults: context.faults,
      openWatches: context.openWatches,
      bookmarkIntervalMs: context.bookmarkIntervalMs,
    });
    return;
  }
  sendJson(res, 200, listResponse('PodList', context.pods.list(namespace).filter(matches), query, context.clock.now()));
}

interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function readDeleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const body = ((await readJsonBody(req)) ?? {}) as DeleteOptions;
  const fromQuery = query.get('gracePeriodSeconds');
  return fromQuery === null ? body : { ...body, gracePeriodSeconds: Number(fromQuery) };
}

/**
 * Deletes one pod as the API server does: at once when it was never scheduled, has ended, or
 * the grace period is 0; else it sets deletionTimestamp and the kubelet stops the containers
 * and removes the pod afterwards. Returns the pod as it is after the request.
 */
function deleteOne(context: StandinContext, pod: PodObject, options: DeleteOptions): PodObject {
  const { namespace, name } = pod.metadata;
  const preconditionUid = options.preconditions?.uid;
  if (preconditionUid && preconditionUid !== pod.metadata.uid) {
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Precondition failed: UID in precondition: ${preconditionUid}, UID in object meta: ${pod.metadata.uid}`,
      reason: 'Conflict',
      details: { name, kind: 'pods' },
      code: 409,
    });
  }

  const grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  const ended = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
  if (!pod.spec.nodeName || ended || grace <= 0) {
    const removed = context.pods.remove(namespace, name) ?? pod;
    context.kubelet.forget(namespace, name);
    return removed;
  }
  if (pod.metadata.deletionTimestamp) return pod;

  const updated = context.pods.update(namespace, name, (stored) => {
    stored.metadata.deletionTimestamp = formatSeconds(new Date(Date.now() + grace * 1000));
    stored.metadata.deletionGracePeriodSeconds = grace;
  });
  if (!updated) return pod;
  context.kubelet.requestDeletion(updated);
  return context.pods.get(namespace, name) ?? updated;
}

export async function deletePod(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams): Promise<void> {
  const options = await readDeleteOptions(req, query);
  requireNamespace(context, namespace);
  const pod = context.pods.get(namespace, name);
  if (!pod) throw notFound('pods', name);
  sendJson(res, 200, deleteOne(context, pod, options));
}

export async function deletePodCollection(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, query: URLSearchParams): Promise<void> {
  const options = await readDeleteOptions(req, query);
  requireNamespace(context, namespace);
  const matches = podSelector(query);
  const deleted = context.pods
    .list(namespace)
    .filter(matches)
    .map((pod) => deleteOne(context, pod, { gracePeriodSeconds: options.gracePeriodSeconds }));
  sendJson(res, 200, listResponse('PodList', deleted, new URLSearchParams(), context.clock.now()));
}

