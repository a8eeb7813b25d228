import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { describeCluster, loadClusterConfig, type ClusterConfig } from './client';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-client-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeKubeconfig(file: string, options: { server: string; namespace?: string; context?: string }): void {
  const context = options.context ?? 'dev';
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}-cluster`,
    '  cluster:',
    `    server: ${options.server}`,
    // client-node 1.4 sends plain HTTP only with this set.
    ...(options.server.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
    'users:',
    `- name: ${context}-user`,
    '  user:',
    '    token: not-a-real-token',
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}-cluster`,
    `    user: ${context}-user`,
    ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Asserts that a cluster was found and returns its configuration. */
function expectConfigured(loaded: ReturnType<typeof loadClusterConfig>): ClusterConfig {
  if (loaded.source === 'none') throw new Error(`expected a configured cluster, got none: ${loaded.reason}`);
  return loaded;
}

describe('loadClusterConfig', () => {
  it('reads KUBECONFIG with the context namespace', () => {
    const file = path.join(dir, 'config');
    writeKubeconfig(file, { server: 'http://127.0.0.1:6443', namespace: 'ml' });
    const loaded = loadClusterConfig({ env: { KUBECONFIG: file }, homeDir: dir, serviceAccountDir: path.join(dir, 'none') });
    expect(loaded.source).toBe('kubeconfig');
    expect(expectConfigured(loaded).context).toBe('dev');
    expect(expectConfigured(loaded).server).toBe('http://127.0.0.1:6443');
    expect(expectConfigured(loaded).namespace).toBe('ml');
  });

  it('prefers PIPEDECK_NAMESPACE over the context namespace', () => {
    const file = path.join(dir, 'config');
    writeKubeconfig(file, { server: 'http://127.0.0.1:6443', namespace: 'ml' });
    const loaded = loadClusterConfig({ env: { KUBECONFIG: file, PIPEDECK_NAMESPACE: 'pipelines' }, homeDir: dir });
    expect(expectConfigured(loaded).namespace).toBe('pipelines');
  });

  it('falls back to the default namespace', () => {
    const file = path.join(dir, 'config');
    writeKubeconfig(file, { server: 'http://127.0.0.1:6443' });
    const loaded = loadClusterConfig({ env: { KUBECONFIG: file }, homeDir: dir });
    expect(expectConfigured(loaded).namespace).toBe('default');
  });

  it('takes the current context from the first KUBECONFIG file that sets one', () => {
    const first = path.join(dir, 'first');
    const second = path.join(dir, 'second');
    writeKubeconfig(first, { server: 'http://127.0.0.1:1111', context: 'one' });
    writeKubeconfig(second, { server: 'http://127.0.0.1:2222', context: 'two' });
    const loaded = loadClusterConfig({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` }, homeDir: dir });
    expect(expectConfigured(loaded).context).toBe('one');
    expect(expectConfigured(loaded).server).toBe('http://127.0.0.1:1111');
  });

  it('reads ~/.kube/config when KUBECONFIG is unset', () => {
    fs.mkdirSync(path.join(dir, '.kube'));
    writeKubeconfig(path.join(dir, '.kube', 'config'), { server: 'http://127.0.0.1:6443', namespace: 'home' });
    const loaded = loadClusterConfig({ env: {}, homeDir: dir, serviceAccountDir: path.join(dir, 'none') });
    expect(expectConfigured(loaded).namespace).toBe('home');
  });

  it('reads an in-cluster service account from the given directory', () => {
    const accountDir = path.join(dir, 'sa');
    fs.mkdirSync(accountDir);
    fs.writeFileSync(path.join(accountDir, 'token'), 'token');
    fs.writeFileSync(path.join(accountDir, 'namespace'), 'pipedeck\n');
    const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '8080' };
    const loaded = loadClusterConfig({ env, homeDir: dir, serviceAccountDir: accountDir });
    expect(loaded.source).toBe('in-cluster');
    expect(expectConfigured(loaded).server).toBe('http://127.0.0.1:8080');
    expect(expectConfigured(loaded).namespace).toBe('pipedeck');
  });

  it('says when nothing is configured', () => {
    const loaded = loadClusterConfig({ env: {}, homeDir: dir, serviceAccountDir: path.join(dir, 'sa') });
    expect(loaded).toEqual({
      source: 'none',
      reason: `no cluster is configured: KUBECONFIG is not set, ${path.join(dir, '.kube', 'config')} does not exist and there is no service-account token in ${path.join(dir, 'sa')}`,
    });
  });
});

describe('describeCluster', () => {
  it('reports an unreachable API server with the connection error', async () => {
    const port = await closedPort();
    const file = path.join(dir, 'config');
    writeKubeconfig(file, { server: `http://127.0.0.1:${port}`, namespace: 'ml' });
    const description = await describeCluster({ env: { KUBECONFIG: file }, homeDir: dir });
    expect(description).toMatchObject({ source: 'kubeconfig', context: 'dev', server: `http://127.0.0.1:${port}`, namespace: 'ml', reachable: false });
    expect(description.message).toContain(`cannot reach the Kubernetes API at http://127.0.0.1:${port}: `);
    expect(description.message).toContain('ECONNREFUSED');
  });

  it('says what the API server answered when it answers with an error', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 };
    const server = http.createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const file = path.join(dir, 'config');
      writeKubeconfig(file, { server: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, namespace: 'ml' });
      const description = await describeCluster({ env: { KUBECONFIG: file }, homeDir: dir });
      expect(description.reachable).toBe(false);
      expect(description.message).toBe('the Kubernetes API answered 500: etcdserver: request timed out');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a broken kubeconfig', async () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'clusters: [\n');
    const description = await describeCluster({ env: { KUBECONFIG: file }, homeDir: dir });
    expect(description.source).toBe('none');
    expect(description.reachable).toBe(false);
    expect(description.message).toMatch(/^the cluster configuration could not be read: /);
  });
});
