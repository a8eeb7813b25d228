/**
 * Tests of the stand-in for the Kubernetes API (a test double): pods/log with follow, timestamps,
 * sinceTime, tailLines, the "waiting to start" 400 and cut streams, through client-node's Log.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { startKubernetesStandin, type KubernetesStandin, type StandinOptions } from './index';
import { apiFailure, connect, podManifest, podStatus, readLog, waitFor, type StandinClient } from './test-client';

let standin: KubernetesStandin;
let client: StandinClient;

async function start(options: StandinOptions = {}): Promise<void> {
  standin = await startKubernetesStandin(options);
  client = connect(standin);
}

afterEach(async () => {
  await standin.stop();
});

const COUNT_TO_FIVE = ['sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; sleep 0.05; done'];

async function createPod(name: string, command: string[]): Promise<void> {
  await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest(name, command) });
}

function logUrl(pod: string, query: string): string {
  return `${standin.url}/api/v1/namespaces/${standin.namespace}/pods/${pod}/log?${query}`;
}

async function fetchLog(pod: string, query: string): Promise<Response> {
  return fetch(logUrl(pod, query), { headers: { Authorization: `Bearer ${standin.token}` } });
}

function textOf(lines: string[]): string[] {
  return lines.map((line) => line.slice(line.indexOf(' ') + 1));
}

function timestampNs(line: string): bigint {
  const stamp = line.slice(0, line.indexOf(' '));
  const [whole = '', fraction = ''] = stamp.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

describe('pod logs', () => {
  it('follows a log until the container ends', async () => {
    await start();
    await createPod('counter', COUNT_TO_FIVE);
    await waitFor(() => podStatus(standin, 'counter')?.phase, (phase) => phase === 'Running');

    const log = await readLog(client, 'counter', { follow: true, timestamps: true });
    const lines = log.trimEnd().split('\n');
    expect(textOf(lines)).toEqual(['line1', 'line2', 'line3', 'line4', 'line5']);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z line\d$/);
    const stamps = lines.map(timestampNs);
    expect(stamps).toEqual([...stamps].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(stamps).size).toBe(5);
  });

  it('keeps the log after exit until the pod is deleted', async () => {
    await start();
    await createPod('finished', ['sh', '-c', 'echo kept']);
    await waitFor(() => podStatus(standin, 'finished')?.phase, (phase) => phase === 'Succeeded');
    expect(await readLog(client, 'finished', {})).toBe('kept\n');

    await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'finished' });
    const response = await fetchLog('finished', 'container=main');
    expect(response.status).toBe(404);
    expect((await response.json()).message).toBe('pods "finished" not found');
  });

  it('answers 400 while the container is creating', async () => {
    await start();
    standin.faults.slowStart('slow', 60_000);
    await createPod('slow', ['true']);
    await waitFor(() => podStatus(standin, 'slow')?.containerStatuses?.[0]?.state.waiting?.reason, (reason) => reason === 'ContainerCreating');

    const response = await fetchLog('slow', 'container=main&follow=true');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      code: 400,
      message: 'container "main" in pod "slow" is waiting to start: ContainerCreating',
    });
    const failure = await apiFailure(readLog(client, 'slow', { follow: true }));
    expect(failure.code).toBe(400);
  });

  it('answers an empty log before scheduling', async () => {
    await start({ schedulingDelayMs: 60_000 });
    await createPod('unscheduled', ['true']);
    const response = await fetchLog('unscheduled', 'container=main&follow=true');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('filters by sinceTime at whole seconds', async () => {
    await start();
    await createPod('since', COUNT_TO_FIVE);
    await waitFor(() => podStatus(standin, 'since')?.phase, (phase) => phase === 'Succeeded');
    const all = (await readLog(client, 'since', { timestamps: true })).trimEnd().split('\n');
    const last = all.at(-1) as string;

    const sinceTime = last.slice(0, last.indexOf(' '));
    const fromSecond = (timestampNs(last) / 1_000_000_000n) * 1_000_000_000n;
    const expected = all.filter((line) => timestampNs(line) >= fromSecond);
    const resumed = (await readLog(client, 'since', { timestamps: true, sinceTime })).trimEnd().split('\n');
    expect(resumed).toEqual(expected);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await readLog(client, 'since', { sinceTime: future })).toBe('');
  });

  it('returns the last lines with tailLines', async () => {
    await start();
    await createPod('tail', COUNT_TO_FIVE);
    await waitFor(() => podStatus(standin, 'tail')?.phase, (phase) => phase === 'Succeeded');
    expect(await readLog(client, 'tail', { tailLines: 2 })).toBe('line4\nline5\n');
  });

  it('requires a container name for two containers', async () => {
    await start();
    const body = podManifest('pair', ['true']);
    body.spec?.containers.push({ name: 'side', image: 'busybox:1.36', command: ['true'] });
    await client.core.createNamespacedPod({ namespace: client.namespace, body });
    const response = await fetch(`${standin.url}/api/v1/namespaces/${standin.namespace}/pods/pair/log`, {
      headers: { Authorization: `Bearer ${standin.token}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe('a container name must be specified for pod pair, choose one of: [main side]');
  });
});

describe('log faults', () => {
  it('ends the stream after N lines once', async () => {
    await start();
    standin.faults.cutLogStream('cut', { afterLines: 2, times: 1 });
    await createPod('cut', COUNT_TO_FIVE);
    await waitFor(() => podStatus(standin, 'cut')?.phase, (phase) => phase === 'Succeeded');
    expect(await readLog(client, 'cut', { follow: true })).toBe('line1\nline2\n');
    expect(await readLog(client, 'cut', { follow: true })).toBe('line1\nline2\nline3\nline4\nline5\n');
    expect(standin.calls.count('pods.log')).toBe(2);
  });

  it('drops the connection after N lines', async () => {
    await start();
    standin.faults.cutLogStream('dropped', { afterLines: 1, mode: 'destroy' });
    await createPod('dropped', ['sh', '-c', 'echo first; sleep 30']);
    await waitFor(() => podStatus(standin, 'dropped')?.phase, (phase) => phase === 'Running');
    await waitFor(() => standin.pods()[0]?.status.containerStatuses?.[0]?.state.running, (running) => running !== undefined);
    const response = await fetchLog('dropped', 'container=main&follow=true');
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});
