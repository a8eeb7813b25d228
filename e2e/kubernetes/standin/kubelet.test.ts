/**
 * Tests of the stand-in for the Kubernetes API (a test double): what its kubelet does with a pod
 * spec — exit codes, termination messages, env and secrets, security context, deadlines,
 * scheduling and graceful deletion of the whole process group.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type * as k8s from '@kubernetes/client-node';
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

async function runPod(name: string, command: string[], extra: Parameters<typeof podManifest>[2] = {}): Promise<void> {
  await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest(name, command, extra) });
}

async function finalStatus(name: string) {
  return waitFor(() => podStatus(standin, name), (status) => status?.phase === 'Succeeded' || status?.phase === 'Failed');
}

function waitingReason(name: string) {
  return podStatus(standin, name)?.containerStatuses?.[0]?.state.waiting?.reason;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('container exit', () => {
  it('fails the pod with reason Error on a non-zero exit', async () => {
    await runPod('exit-three', ['sh', '-c', 'exit 3']);
    const status = await finalStatus('exit-three');
    expect(status?.phase).toBe('Failed');
    expect(status?.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('reports StartError for a missing program', async () => {
    await runPod('no-program', ['/nonexistent/program']);
    const status = await finalStatus('no-program');
    const terminated = status?.containerStatuses?.[0]?.state.terminated;
    expect(status?.phase).toBe('Failed');
    expect(terminated?.exitCode).toBe(128);
    expect(terminated?.reason).toBe('StartError');
    expect(terminated?.message).toContain('exec: "/nonexistent/program": executable file not found in $PATH');
  });

  it('keeps the last 4096 bytes of the termination message', async () => {
    const script = "printf 'a%.0s' $(seq 1 5000) > /dev/termination-log; printf tail >> /dev/termination-log";
    await runPod('long-message', ['sh', '-c', script]);
    const message = (await finalStatus('long-message'))?.containerStatuses?.[0]?.state.terminated?.message ?? '';
    expect(message.length).toBe(4096);
    expect(message.endsWith('atail')).toBe(true);
  });

  it('falls back to the log on error when asked', async () => {
    await runPod('fallback', ['sh', '-c', 'echo something broke; exit 1'], { container: { terminationMessagePolicy: 'FallbackToLogsOnError' } });
    expect((await finalStatus('fallback'))?.containerStatuses?.[0]?.state.terminated?.message).toBe('something broke');
  });
});

describe('container config', () => {
  it('expands env references and secret keys', async () => {
    standin.addSecret('db', { password: 's3cret' });
    const env: k8s.V1EnvVar[] = [
      { name: 'GREETING', value: 'hello' },
      { name: 'MESSAGE', value: '$(GREETING) world' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    await runPod('env', ['sh', '-c', 'echo "$MESSAGE $PASSWORD $POD"; echo "$1"', 'sh', '$(GREETING) $$(GREETING)'], { container: { env } });
    await finalStatus('env');
    expect(await readLog(client, 'env', {})).toBe('hello world s3cret env\nhello $(GREETING)\n');
  });

  it('waits on a missing secret until it exists', async () => {
    const env: k8s.V1EnvVar[] = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'late', key: 'token' } } }];
    await runPod('late-secret', ['sh', '-c', 'echo $TOKEN'], { container: { env } });
    await waitFor(() => waitingReason('late-secret'), (reason) => reason === 'CreateContainerConfigError');
    expect(podStatus(standin, 'late-secret')?.containerStatuses?.[0]?.state.waiting?.message).toBe('secret "late" not found');
    expect(podStatus(standin, 'late-secret')?.phase).toBe('Pending');

    standin.addSecret('late', { token: 'arrived' });
    expect((await finalStatus('late-secret'))?.phase).toBe('Succeeded');
    expect(await readLog(client, 'late-secret', {})).toBe('arrived\n');
  });

  it('reports a missing secret key', async () => {
    standin.addSecret('partial', { other: 'x' });
    const env: k8s.V1EnvVar[] = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'partial', key: 'token' } } }];
    await runPod('missing-key', ['true'], { container: { env } });
    await waitFor(() => waitingReason('missing-key'), (reason) => reason === 'CreateContainerConfigError');
    const message = podStatus(standin, 'missing-key')?.containerStatuses?.[0]?.state.waiting?.message;
    expect(message).toBe('couldn\'t find key token in Secret pipedeck-test/partial');
  });

  it('refuses a root image under runAsNonRoot', async () => {
    standin.faults.imageRunsAsRoot('python:3.12');
    await runPod('rooted', ['true'], { container: { image: 'python:3.12', securityContext: { runAsNonRoot: true } } });
    await waitFor(() => waitingReason('rooted'), (reason) => reason === 'CreateContainerConfigError');
    const pod = standin.pods()[0];
    expect(pod?.status.containerStatuses?.[0]?.state.waiting?.message).toBe(
      `container has runAsNonRoot and image will run as root (pod: "rooted_pipedeck-test(${pod?.metadata.uid})", container: main)`,
    );
    const events = await client.core.listNamespacedEvent({ namespace: client.namespace, fieldSelector: 'involvedObject.name=rooted,reason=Failed' });
    expect(events.items[0]?.message).toMatch(/^Error: container has runAsNonRoot and image will run as root/);
  });

  it('runs a root image with an explicit runAsUser', async () => {
    standin.faults.imageRunsAsRoot('python:3.12');
    await runPod('explicit-user', ['true'], {
      container: { image: 'python:3.12', securityContext: { runAsNonRoot: true, runAsUser: 1000 } },
    });
    expect((await finalStatus('explicit-user'))?.phase).toBe('Succeeded');
  });

  it('reports InvalidImageName for an unparsable image', async () => {
    await runPod('bad-image', ['true'], { container: { image: 'Not A/Valid:Image' } });
    await waitFor(() => waitingReason('bad-image'), (reason) => reason === 'InvalidImageName');
    expect(podStatus(standin, 'bad-image')?.phase).toBe('Pending');
  });
});

describe('pod limits', () => {
  it('fails the pod at activeDeadlineSeconds', async () => {
    await runPod('deadline', ['sleep', '30'], { spec: { activeDeadlineSeconds: 1 } });
    const status = await finalStatus('deadline');
    expect(status?.phase).toBe('Failed');
    expect(status?.reason).toBe('DeadlineExceeded');
    expect(status?.message).toBe('Pod was active on the node longer than the specified deadline');
    expect(status?.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    const reasons = standin.events().map((event) => event.reason);
    expect(reasons).toContain('DeadlineExceeded');
    expect(reasons).toContain('Killing');
  });

  it('leaves a pod larger than the node unschedulable', async () => {
    await runPod('huge', ['true'], { container: { resources: { requests: { cpu: '64', memory: '1Gi' } } } });
    const status = await waitFor(() => podStatus(standin, 'huge'), (current) => current?.conditions !== undefined);
    expect(status?.conditions?.[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    expect(status?.conditions?.[0]?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    expect(standin.events().map((event) => `${event.reason} ${event.source.component}`)).toEqual(['FailedScheduling default-scheduler']);
  });
});

describe('graceful deletion', () => {
  it('terminates the whole process group', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-group-'));
    const pidFile = path.join(dir, 'child.pid');
    await runPod('group', ['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`]);
    const childPid = Number(await waitFor(() => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : ''), (text) => text !== ''));
    expect(isAlive(childPid)).toBe(true);

    await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'group' });
    await waitFor(() => standin.pods().length, (count) => count === 0);
    await waitFor(() => isAlive(childPid), (alive) => !alive);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('removes a pod whose container waits at once', async () => {
    standin.faults.slowStart('pending', 60_000);
    await runPod('pending', ['true']);
    await waitFor(() => waitingReason('pending'), (reason) => reason === 'ContainerCreating');
    const watch = await recordWatch(client, `/api/v1/namespaces/${client.namespace}/pods`, {
      resourceVersion: standin.pods()[0]?.metadata.resourceVersion ?? '',
    });

    await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'pending' });
    await waitFor(() => watch.events.map((event) => event.type), (types) => types.includes('DELETED'));
    watch.abort();
    expect(watch.events.map((event) => event.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(watch.events[0]?.object.metadata?.deletionTimestamp).toBeDefined();
  });

  it('removes an unscheduled pod immediately', async () => {
    await standin.stop();
    standin = await startKubernetesStandin({ schedulingDelayMs: 60_000 });
    client = connect(standin);
    await runPod('queued', ['true']);
    const deleted = await client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'queued' });
    expect(deleted.metadata?.deletionTimestamp).toBeUndefined();
    expect(standin.pods()).toEqual([]);
  });
});
