/**
 * Tests of the stand-in for the Kubernetes API (a test double): watches with resourceVersion,
 * bookmarks, selectors, timeouts, 410 Expired and stalls, through client-node's Watch.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { startKubernetesStandin, type KubernetesStandin, type StandinOptions } from './index';
import { connect, podManifest, podStatus, recordWatch, waitFor, type StandinClient } from './test-client';

let standin: KubernetesStandin;
let client: StandinClient;

async function start(options: StandinOptions = {}): Promise<void> {
  standin = await startKubernetesStandin(options);
  client = connect(standin);
}

afterEach(async () => {
  await standin.stop();
});

function podsPath(): string {
  return `/api/v1/namespaces/${client.namespace}/pods`;
}

async function runToEnd(name: string, command = ['true']): Promise<void> {
  await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest(name, command) });
  await waitFor(() => podStatus(standin, name)?.phase, (phase) => phase === 'Succeeded');
}

function expiredEvent(code = 410) {
  return { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', status: 'Failure', reason: 'Expired', code }) };
}

describe('pod watch', () => {
  it('replays the changes after a resourceVersion', async () => {
    await start();
    await runToEnd('first');
    const list = await client.core.listNamespacedPod({ namespace: client.namespace });
    await runToEnd('second');

    const watch = await recordWatch(client, podsPath(), { resourceVersion: list.metadata?.resourceVersion ?? '' });
    await waitFor(() => watch.events.at(-1)?.object.status?.phase, (phase) => phase === 'Succeeded');
    watch.abort();
    expect(new Set(watch.events.map((event) => event.object.metadata?.name))).toEqual(new Set(['second']));
    expect(watch.events[0]?.type).toBe('ADDED');
    const versions = watch.events.map((event) => Number(event.object.metadata?.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('sends existing pods as ADDED without a resourceVersion', async () => {
    await start();
    await runToEnd('existing');
    const watch = await recordWatch(client, podsPath(), {});
    await waitFor(() => watch.events.length, (count) => count === 1);
    watch.abort();
    expect(watch.events[0]?.type).toBe('ADDED');
    expect(watch.events[0]?.object.status?.phase).toBe('Succeeded');
  });

  it('answers 410 Expired for a compacted resourceVersion', async () => {
    await start({ historyLimit: 2 });
    await runToEnd('churn');
    const watch = await recordWatch(client, podsPath(), { resourceVersion: '1' });
    await expect(watch.done).resolves.toBeNull();
    expect(watch.events).toEqual([expiredEvent()]);
    expect(watch.events[0]?.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('turns a field selector change into ADDED and DELETED', async () => {
    await start();
    const watch = await recordWatch(client, podsPath(), { fieldSelector: 'status.phase=Running' });
    await runToEnd('phases', ['sleep', '0.2']);
    await waitFor(() => watch.events.length, (count) => count === 2);
    watch.abort();
    expect(watch.events.map((event) => `${event.type} ${event.object.status?.phase}`)).toEqual(['ADDED Running', 'DELETED Succeeded']);
  });

  it('sends bookmarks when allowed', async () => {
    await start({ bookmarkIntervalMs: 30 });
    const watch = await recordWatch(client, podsPath(), { allowWatchBookmarks: true });
    await waitFor(() => watch.events.filter((event) => event.type === 'BOOKMARK').length, (count) => count >= 2);
    watch.abort();
    expect(watch.events[0]).toEqual({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '0' } } });
  });

  it('ends the stream after timeoutSeconds', async () => {
    await start();
    const watch = await recordWatch(client, podsPath(), { timeoutSeconds: 1 });
    await expect(watch.done).resolves.toBeNull();
    expect(watch.events).toEqual([]);
  });

  it('watches events of one pod', async () => {
    await start();
    const watch = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/events`, { fieldSelector: 'involvedObject.name=observed' });
    await runToEnd('observed');
    await runToEnd('ignored');
    await waitFor(() => watch.events.map((event) => (event.object as { reason?: string }).reason), (reasons) => reasons.includes('Started'));
    watch.abort();
    const reasons = watch.events.map((event) => (event.object as { reason?: string }).reason);
    expect(reasons).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(standin.calls.count('events.watch')).toBe(1);
  });
});

describe('watch faults', () => {
  it('expires the next watch with a resourceVersion', async () => {
    await start();
    standin.faults.expireNextWatches();
    const expired = await recordWatch(client, podsPath(), { resourceVersion: '0' });
    const fromList = await recordWatch(client, podsPath(), { resourceVersion: '1' });
    await expect(fromList.done).resolves.toBeNull();
    fromList.abort();
    expired.abort();
    expect(expired.events).toEqual([]);
    expect(fromList.events).toEqual([expiredEvent()]);
  });

  it('limits a watch fault to one resource', async () => {
    await start();
    standin.faults.stallNextWatches({ resource: 'pods' });
    const events = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/events`, {});
    const pods = await recordWatch(client, podsPath(), {});
    await runToEnd('split');
    await waitFor(() => events.events.length, (count) => count >= 5);
    events.abort();
    pods.abort();
    expect(pods.events).toEqual([]);
    expect(events.events[0]?.type).toBe('ADDED');
  });

  it('expires open watches mid-stream', async () => {
    await start();
    const watch = await recordWatch(client, podsPath(), {});
    await runToEnd('before');
    await waitFor(() => watch.events.at(-1)?.object.status?.phase, (phase) => phase === 'Succeeded');
    const seen = watch.events.length;
    standin.faults.expireOpenWatches();
    await expect(watch.done).resolves.toBeNull();
    expect(watch.events.length).toBe(seen + 1);
    expect(watch.events.at(-1)).toEqual(expiredEvent());
  });

  it('stalls the next watch without events or bookmarks', async () => {
    await start({ bookmarkIntervalMs: 20 });
    standin.faults.stallNextWatches();
    const stalled = await recordWatch(client, podsPath(), { allowWatchBookmarks: true, timeoutSeconds: 1 });
    const healthy = await recordWatch(client, podsPath(), { allowWatchBookmarks: true });
    await runToEnd('unseen');
    await new Promise((resolve) => setTimeout(resolve, 1200));

    let stalledEnded = false;
    void stalled.done.then(() => (stalledEnded = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stalled.events).toEqual([]);
    expect(stalledEnded).toBe(false);
    expect(healthy.events.some((event) => event.object.metadata?.name === 'unseen')).toBe(true);
    stalled.abort();
    healthy.abort();
  });

  it('stalls open watches', async () => {
    await start();
    const watch = await recordWatch(client, podsPath(), {});
    standin.faults.stallOpenWatches();
    await runToEnd('hidden');
    expect(watch.events).toEqual([]);
    watch.abort();
  });
});
