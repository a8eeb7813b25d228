/**
 * Tests of the stand-in for the Kubernetes API (a test double): each injected fault, observed
 * through @kubernetes/client-node as an executor would see it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startKubernetesStandin, type KubernetesStandin } from './index';
import { apiFailure, connect, podManifest, podStatus, recordWatch, waitFor, type StandinClient } from './test-client';

let standin: KubernetesStandin;
let client: StandinClient;

beforeEach(async () => {
  standin = await startKubernetesStandin({ retryDelayMs: 50 });
  client = connect(standin);
});

afterEach(async () => {
  await standin.stop();
});

async function runPod(name: string, command: string[] = ['sleep', '30'], labels?: Record<string, string>): Promise<void> {
  await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest(name, command, { labels }) });
}

function containerState(name: string) {
  return podStatus(standin, name)?.containerStatuses?.[0]?.state;
}

async function eventsOf(name: string): Promise<string[]> {
  const list = await client.core.listNamespacedEvent({ namespace: client.namespace, fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((event) => `${event.type} ${event.reason}: ${event.message}`);
}

async function running(name: string): Promise<void> {
  await waitFor(() => containerState(name)?.running, (state) => state !== undefined);
}

describe('image faults', () => {
  it('keeps the container waiting in ErrImagePull', async () => {
    standin.faults.imagePull('pull', 'ErrImagePull');
    await runPod('pull');
    await waitFor(() => containerState('pull')?.waiting?.reason, (reason) => reason === 'ErrImagePull');
    expect(podStatus(standin, 'pull')?.phase).toBe('Pending');
    expect(containerState('pull')?.waiting?.message).toContain('failed to pull and unpack image "busybox:1.36"');
    const events = await eventsOf('pull');
    expect(events).toContain('Warning Failed: Error: ErrImagePull');
    expect(events.some((event) => event.startsWith('Warning Failed: Failed to pull image "busybox:1.36"'))).toBe(true);

    const log = await fetch(`${standin.url}/api/v1/namespaces/${standin.namespace}/pods/pull/log?container=main`, {
      headers: { Authorization: `Bearer ${standin.token}` },
    });
    expect(log.status).toBe(400);
    expect((await log.json()).message).toBe('container "main" in pod "pull" is waiting to start: image can\'t be pulled');
  });

  it('moves on to ImagePullBackOff', async () => {
    standin.faults.imagePull({ labels: { step: 'fetch' } }, 'ImagePullBackOff');
    await runPod('backoff', undefined, { step: 'fetch' });
    await waitFor(() => containerState('backoff')?.waiting?.reason, (reason) => reason === 'ImagePullBackOff');
    expect(containerState('backoff')?.waiting?.message).toBe('Back-off pulling image "busybox:1.36"');
    const events = await eventsOf('backoff');
    expect(events).toContain('Normal BackOff: Back-off pulling image "busybox:1.36"');
    expect(events).toContain('Warning Failed: Error: ImagePullBackOff');
  });

  it('reports InvalidImageName on request', async () => {
    standin.faults.invalidImageName(/^invalid-/);
    await runPod('invalid-one');
    await waitFor(() => containerState('invalid-one')?.waiting?.reason, (reason) => reason === 'InvalidImageName');
    expect(containerState('invalid-one')?.waiting?.message).toBe(
      'Failed to apply default image tag "busybox:1.36": couldn\'t parse image name "busybox:1.36": invalid reference format',
    );
  });

  it('hits only as many pods as asked', async () => {
    standin.faults.imagePull(/^limited-/, 'ErrImagePull', { times: 1 });
    await runPod('limited-a', ['true']);
    await runPod('limited-b', ['true']);
    await waitFor(() => containerState('limited-a')?.waiting?.reason, (reason) => reason === 'ErrImagePull');
    await waitFor(() => podStatus(standin, 'limited-b')?.phase, (phase) => phase === 'Succeeded');
  });
});

describe('container faults', () => {
  it('keeps the container in CreateContainerConfigError', async () => {
    standin.faults.createContainerConfigError('config', { message: 'secret "creds" not found' });
    await runPod('config');
    await waitFor(() => containerState('config')?.waiting?.reason, (reason) => reason === 'CreateContainerConfigError');
    expect(containerState('config')?.waiting?.message).toBe('secret "creds" not found');
    const failed = (await client.core.listNamespacedEvent({ namespace: client.namespace, fieldSelector: 'involvedObject.name=config,reason=Failed' })).items;
    expect(failed[0]?.message).toBe('Error: secret "creds" not found');
    await waitFor(() => standin.events().find((event) => event.reason === 'Failed')?.count ?? 0, (count) => count >= 2);
    expect(podStatus(standin, 'config')?.phase).toBe('Pending');
  });

  it('kills a running container as OOMKilled', async () => {
    await runPod('memory');
    await running('memory');
    standin.faults.oomKill('memory');
    const status = await waitFor(() => podStatus(standin, 'memory'), (current) => current?.phase === 'Failed');
    expect(status?.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(status?.reason).toBeUndefined();
    expect((await eventsOf('memory')).some((event) => event.startsWith('Warning OOMKilling: Memory cgroup out of memory'))).toBe(true);
  });

  it('evicts a pod after a delay', async () => {
    standin.faults.evict('evicted', { afterMs: 100 });
    await runPod('evicted');
    const status = await waitFor(() => podStatus(standin, 'evicted'), (current) => current?.phase === 'Failed');
    expect(status?.reason).toBe('Evicted');
    expect(status?.message).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. ');
    expect(status?.containerStatuses?.[0]?.state.terminated?.exitCode).toBe(137);
    expect(status?.conditions?.find((condition) => condition.type === 'DisruptionTarget')?.reason).toBe('TerminationByKubelet');
    expect((await eventsOf('evicted')).some((event) => event.startsWith('Warning Evicted: The node was low on resource'))).toBe(true);
  });

  it('leaves a pod Pending as Unschedulable', async () => {
    standin.faults.unschedulable('nowhere');
    await runPod('nowhere');
    const status = await waitFor(() => podStatus(standin, 'nowhere'), (current) => current?.conditions !== undefined);
    expect(status?.phase).toBe('Pending');
    expect(status?.conditions?.[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    expect(await eventsOf('nowhere')).toEqual([`Warning FailedScheduling: ${status?.conditions?.[0]?.message}`]);
  });
});

describe('node loss', () => {
  it('deletes the pod without a final status', async () => {
    const watch = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/pods`, {});
    await runPod('vanishing');
    await running('vanishing');
    standin.faults.nodeLost('vanishing');
    await waitFor(() => watch.events.map((event) => event.type), (types) => types.includes('DELETED'));
    watch.abort();
    const deleted = watch.events.at(-1);
    expect(deleted?.type).toBe('DELETED');
    expect(deleted?.object.status?.phase).toBe('Running');
    expect(deleted?.object.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    expect(standin.pods()).toEqual([]);
  });

  it('leaves the pod Terminating until a force delete', async () => {
    standin.faults.nodeLost('stuck', { podObject: 'terminating' });
    await runPod('stuck');
    await waitFor(() => standin.pods()[0]?.metadata.deletionTimestamp, (timestamp) => timestamp !== undefined);
    expect(podStatus(standin, 'stuck')?.phase).toBe('Running');

    const log = await apiFailure(client.core.readNamespacedPodLog({ namespace: client.namespace, name: 'stuck' }));
    expect(log.code).toBe(500);

    await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'stuck' });
    expect(standin.pods().map((pod) => pod.metadata.name)).toEqual(['stuck']);
    await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'stuck', gracePeriodSeconds: 0 });
    expect(standin.pods()).toEqual([]);
  });
});

describe('API faults', () => {
  it('answers 500 on create a given number of times', async () => {
    standin.faults.failRequests('pods.create', { status: 500, times: 2 });
    const first = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('burst', ['true']) }));
    expect(first.code).toBe(500);
    expect(first.status.reason).toBe('InternalError');
    expect((await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('burst', ['true']) }))).code).toBe(500);
    await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('burst', ['true']) });
    expect(standin.createdPodNames()).toEqual(['burst']);
    expect(standin.calls.count('pods.create')).toBe(3);
    expect(standin.calls.all().map((call) => call.status)).toEqual([500, 500, 201]);
  });

  it('answers 429 with Retry-After', async () => {
    standin.faults.failRequests('pods.create', { status: 429, retryAfterSeconds: 2 });
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('limited', ['true']) }));
    expect(failure.code).toBe(429);
    expect(failure.headers['retry-after']).toBe('2');
    expect(failure.status).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 2 } });
    expect(standin.createdPodNames()).toEqual([]);
  });

  it('stores the pod before a 504 when asked', async () => {
    standin.faults.failRequests('pods.create', { status: 504, storeFirst: true });
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('stored', ['true']) }));
    expect(failure.code).toBe(504);
    expect(failure.status.reason).toBe('Timeout');
    const retry = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('stored', ['true']) }));
    expect(retry.code).toBe(409);
    expect(standin.createdPodNames()).toEqual(['stored']);
  });

  it('fails other kinds of request', async () => {
    standin.faults.failRequests('pods.list', { status: 500 });
    expect((await apiFailure(client.core.listNamespacedPod({ namespace: client.namespace }))).code).toBe(500);
    const list = await client.core.listNamespacedPod({ namespace: client.namespace });
    expect(list.items).toEqual([]);
  });
});
