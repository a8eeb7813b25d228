/**
 * Tests of the stand-in for the Kubernetes API (a test double): a pod's life through the real
 * @kubernetes/client-node CoreV1Api, Watch and Log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startKubernetesStandin, type KubernetesStandin } from './index';
import { connect, podManifest, podStatus, readLog, recordWatch, waitFor, type StandinClient } from './test-client';

let standin: KubernetesStandin;
let client: StandinClient;

beforeEach(async () => {
  standin = await startKubernetesStandin();
  client = connect(standin);
});

afterEach(async () => {
  await standin.stop();
});

describe('pod lifecycle', () => {
  it('runs a pod from Pending to Succeeded', async () => {
    const watch = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/pods`, { labelSelector: 'app=standin-test' });
    const created = await client.core.createNamespacedPod({
      namespace: client.namespace,
      body: podManifest('hello', ['sh', '-c', 'echo one; echo two >&2; printf result > /dev/termination-log']),
    });
    expect(created.status?.phase).toBe('Pending');
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);

    await waitFor(() => podStatus(standin, 'hello')?.phase, (phase) => phase === 'Succeeded');
    const pod = await client.core.readNamespacedPod({ namespace: client.namespace, name: 'hello' });
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
    expect(terminated?.exitCode).toBe(0);
    expect(terminated?.reason).toBe('Completed');
    expect(terminated?.message).toBe('result');
    expect(pod.spec?.nodeName).toBe('standin-node');

    await waitFor(() => watch.events.at(-1)?.object.status?.phase, (phase) => phase === 'Succeeded');
    watch.abort();
    const phases = watch.events.map((event) => `${event.type} ${event.object.status?.phase}`);
    expect(phases[0]).toBe('ADDED Pending');
    expect(phases).toContain('MODIFIED Running');
    expect(phases.at(-1)).toBe('MODIFIED Succeeded');
    const waiting = watch.events.find((event) => event.object.status?.containerStatuses?.[0]?.state?.waiting);
    expect(waiting?.object.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');

    const log = await readLog(client, 'hello', { timestamps: true });
    const lines = log.trimEnd().split('\n');
    expect(lines.map((line) => line.slice(line.indexOf(' ') + 1))).toEqual(['one', 'two']);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z /);
  });

  it('deletes a running pod gracefully', async () => {
    await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('sleeper', ['sleep', '30']) });
    await waitFor(() => podStatus(standin, 'sleeper')?.phase, (phase) => phase === 'Running');
    const watch = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/pods`, {
      resourceVersion: standin.pods()[0]?.metadata.resourceVersion ?? '0',
    });

    const deleted = await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'sleeper' });
    expect(deleted.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(deleted.metadata?.deletionGracePeriodSeconds).toBe(30);

    await waitFor(() => watch.events.map((event) => event.type), (types) => types.includes('DELETED'));
    watch.abort();
    const last = watch.events.at(-1);
    expect(last?.type).toBe('DELETED');
    expect(last?.object.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
    expect(standin.pods()).toEqual([]);
    expect(standin.events().map((event) => event.reason)).toContain('Killing');
  });
});
