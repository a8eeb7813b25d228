/**
 * Tests of the stand-in for the Kubernetes API (a test double): Status errors, selectors, paging,
 * namespaces, discovery, credentials and PersistentVolumeClaims, through @kubernetes/client-node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startKubernetesStandin, type KubernetesStandin } from './index';
import { apiFailure, connect, podManifest, podStatus, waitFor, type StandinClient } from './test-client';

let standin: KubernetesStandin;
let client: StandinClient;

beforeEach(async () => {
  standin = await startKubernetesStandin();
  client = connect(standin);
});

afterEach(async () => {
  await standin.stop();
});

async function createPod(name: string, labels: Record<string, string>, command = ['true']): Promise<void> {
  await client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest(name, command, { labels }) });
}

async function listNames(query: { labelSelector?: string; fieldSelector?: string }): Promise<string[]> {
  const list = await client.core.listNamespacedPod({ namespace: client.namespace, ...query });
  return list.items.map((pod) => pod.metadata?.name ?? '');
}

describe('API errors', () => {
  it('answers 404 NotFound for a missing pod', async () => {
    const failure = await apiFailure(client.core.readNamespacedPod({ namespace: client.namespace, name: 'missing' }));
    expect(failure.code).toBe(404);
    expect(failure.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "missing" not found',
      reason: 'NotFound',
      details: { name: 'missing', kind: 'pods' },
      code: 404,
    });
  });

  it('answers 409 AlreadyExists for a taken name', async () => {
    await createPod('twice', { app: 'a' });
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body: podManifest('twice', ['true']) }));
    expect(failure.code).toBe(409);
    expect(failure.status.reason).toBe('AlreadyExists');
    expect(failure.status.message).toBe('pods "twice" already exists');
    expect(standin.createdPodNames()).toEqual(['twice']);
  });

  it('answers 422 Invalid for a bad name and label', async () => {
    const body = podManifest('Bad_Name', ['true'], { labels: { run: 'not valid!' } });
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body }));
    expect(failure.code).toBe(422);
    expect(failure.status.reason).toBe('Invalid');
    expect(failure.status.message).toMatch(/^Pod "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(failure.status.message).toContain('metadata.labels: Invalid value: "not valid!": a valid label must be an empty string');
    expect(standin.createdPodNames()).toEqual([]);
  });

  it('answers 422 for a missing image', async () => {
    const body = podManifest('no-image', ['true'], { container: { image: '' } });
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: client.namespace, body }));
    expect(failure.code).toBe(422);
    expect(failure.status.message).toBe('Pod "no-image" is invalid: spec.containers[0].image: Required value');
  });

  it('answers 404 for an unknown namespace', async () => {
    const failure = await apiFailure(client.core.createNamespacedPod({ namespace: 'elsewhere', body: podManifest('p', ['true']) }));
    expect(failure.code).toBe(404);
    expect(failure.status.message).toBe('namespaces "elsewhere" not found');
  });

  it('answers 401 without the token', async () => {
    const response = await fetch(`${standin.url}/api/v1/namespaces/${standin.namespace}/pods`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('answers 409 Conflict when the uid precondition differs', async () => {
    await createPod('guarded', { app: 'a' }, ['sleep', '30']);
    const failure = await apiFailure(
      client.core.deleteNamespacedPod({ namespace: client.namespace, name: 'guarded', body: { preconditions: { uid: 'other-uid' } } }),
    );
    expect(failure.code).toBe(409);
    expect(failure.status.reason).toBe('Conflict');
    expect(failure.status.message).toMatch(/^Precondition failed: UID in precondition: other-uid, UID in object meta: /);
  });
});

describe('selectors', () => {
  beforeEach(async () => {
    await createPod('a1', { app: 'a', tier: 'web' });
    await createPod('a2', { app: 'a' });
    await createPod('b1', { app: 'b', tier: 'db' });
  });

  it('selects by equality and inequality', async () => {
    expect(await listNames({ labelSelector: 'app=a' })).toEqual(['a1', 'a2']);
    expect(await listNames({ labelSelector: 'app==b' })).toEqual(['b1']);
    expect(await listNames({ labelSelector: 'app!=a' })).toEqual(['b1']);
    expect(await listNames({ labelSelector: 'app=a,tier=web' })).toEqual(['a1']);
  });

  it('selects by existence and sets', async () => {
    expect(await listNames({ labelSelector: 'tier' })).toEqual(['a1', 'b1']);
    expect(await listNames({ labelSelector: '!tier' })).toEqual(['a2']);
    expect(await listNames({ labelSelector: 'tier in (db, cache)' })).toEqual(['b1']);
    expect(await listNames({ labelSelector: 'tier notin (db)' })).toEqual(['a1', 'a2']);
  });

  it('selects by field', async () => {
    expect(await listNames({ fieldSelector: 'metadata.name=a2' })).toEqual(['a2']);
    await waitFor(() => podStatus(standin, 'b1')?.phase, (phase) => phase === 'Succeeded');
    expect(await listNames({ fieldSelector: 'metadata.name=b1,status.phase=Succeeded' })).toEqual(['b1']);
  });

  it('rejects an unsupported field', async () => {
    const failure = await apiFailure(client.core.listNamespacedPod({ namespace: client.namespace, fieldSelector: 'spec.image=x' }));
    expect(failure.code).toBe(400);
    expect(failure.status.message).toBe('field label not supported: spec.image');
  });

  it('pages a list with limit and continue', async () => {
    const first = await client.core.listNamespacedPod({ namespace: client.namespace, limit: 2 });
    expect(first.items.map((pod) => pod.metadata?.name)).toEqual(['a1', 'a2']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await client.core.listNamespacedPod({ namespace: client.namespace, limit: 2, _continue: first.metadata?._continue });
    expect(second.items.map((pod) => pod.metadata?.name)).toEqual(['b1']);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('deletes a collection by label', async () => {
    await client.core.deleteCollectionNamespacedPod({ namespace: client.namespace, labelSelector: 'app=a' });
    await waitFor(() => standin.pods().map((pod) => pod.metadata.name), (names) => names.length === 1);
    expect(standin.pods().map((pod) => pod.metadata.name)).toEqual(['b1']);
    expect(standin.calls.count('pods.deletecollection')).toBe(1);
  });
});

describe('cluster access', () => {
  it('reads the namespace and version', async () => {
    const namespace = await client.core.readNamespace({ name: client.namespace });
    expect(namespace.status?.phase).toBe('Active');
    const version = await client.config.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.31.0-standin');
    expect(standin.calls.count('namespaces.get')).toBe(1);
  });

  it('serves HTTPS with the generated CA', async () => {
    const secure = await startKubernetesStandin({ tls: true, namespace: 'secure' });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const secureClient = connect(secure);
      const namespace = await secureClient.core.readNamespace({ name: 'secure' });
      expect(namespace.metadata?.name).toBe('secure');
    } finally {
      await secure.stop();
    }
  });

  it('writes service-account files for in-cluster config', async () => {
    const secure = await startKubernetesStandin({ tls: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-sa-'));
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    try {
      const files = secure.writeServiceAccountFiles(dir);
      Object.assign(process.env, files.env);
      const config = new k8s.KubeConfig();
      config.loadFromCluster(files.pathPrefix);
      const namespace = await config.makeApiClient(k8s.CoreV1Api).readNamespace({ name: secure.namespace });
      expect(namespace.metadata?.name).toBe('pipedeck-test');
      expect(fs.readFileSync(path.join(files.directory, 'namespace'), 'utf8')).toBe('pipedeck-test');
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = saved.host;
      process.env.KUBERNETES_SERVICE_PORT = saved.port;
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
      await secure.stop();
    }
  });
});

describe('persistent volume claims', () => {
  it('mounts a claim at its mountPath', async () => {
    await client.core.createNamespacedPersistentVolumeClaim({
      namespace: client.namespace,
      body: { metadata: { name: 'run-data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    });
    const claim = await client.core.readNamespacedPersistentVolumeClaim({ namespace: client.namespace, name: 'run-data' });
    expect(claim.status?.phase).toBe('Bound');
    expect(claim.status?.capacity).toEqual({ storage: '1Gi' });

    const body = podManifest('writer', ['sh', '-c', 'mkdir -p /data/out && echo artifact > /data/out/file.txt'], {
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'run-data' } }] },
      container: { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    });
    await client.core.createNamespacedPod({ namespace: client.namespace, body });
    await waitFor(() => podStatus(standin, 'writer')?.phase, (phase) => phase === 'Succeeded');
    const directory = standin.claimDirectory('run-data') as string;
    expect(fs.readFileSync(path.join(directory, 'out', 'file.txt'), 'utf8')).toBe('artifact\n');

    await client.core.deleteNamespacedPersistentVolumeClaim({ namespace: client.namespace, name: 'run-data' });
    expect(fs.existsSync(directory)).toBe(false);
    const failure = await apiFailure(client.core.readNamespacedPersistentVolumeClaim({ namespace: client.namespace, name: 'run-data' }));
    expect(failure.code).toBe(404);
  });

  it('leaves a pod with a missing claim unschedulable', async () => {
    const body = podManifest('orphan', ['true'], {
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'absent' } }] },
    });
    await client.core.createNamespacedPod({ namespace: client.namespace, body });
    const status = await waitFor(() => podStatus(standin, 'orphan'), (current) => current?.conditions !== undefined);
    expect(status?.phase).toBe('Pending');
    expect(status?.conditions?.[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    expect(status?.conditions?.[0]?.message).toContain('persistentvolumeclaim "absent" not found');
  });
});
