/**
 * The one place that finds the cluster and builds the Kubernetes client, the way kubectl does:
 * `KUBECONFIG` (a list of files, merged), else `~/.kube/config`, with its current context; else the
 * in-cluster service account. The namespace is `PIPEDECK_NAMESPACE`, else the context's namespace,
 * else `default`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CoreV1Api, KubeConfig, Log, Watch } from '@kubernetes/client-node';

import { describeApiFailure } from './api-error';
import { DEFAULT_SERVICE_ACCOUNT_DIR } from './settings';

/** Where the cluster settings came from. */
export type ClusterSource = 'kubeconfig' | 'in-cluster' | 'none';

/** A loaded cluster configuration and the namespace Pipedeck uses in it. */
export interface ClusterConfig {
  source: Exclude<ClusterSource, 'none'>;
  kubeConfig: KubeConfig;
  context: string;
  server: string;
  namespace: string;
}

/** The cluster a server talks to, as the dashboard shows it. */
export interface ClusterDescription {
  source: ClusterSource;
  context: string | null;
  server: string | null;
  namespace: string | null;
  reachable: boolean;
  /** Why the cluster is not configured or not reachable, with the API server's own message when it sent one. */
  message: string | null;
}

/** The API objects the executor uses, all built from one configuration. */
export interface KubernetesClient {
  config: ClusterConfig;
  core: CoreV1Api;
  watch: Watch;
  log: Log;
}

export interface LoadClusterOptions {
  env?: Record<string, string | undefined>;
  /** Directory with the service-account `token`, `ca.crt` and `namespace` files. */
  serviceAccountDir?: string;
  homeDir?: string;
}

/**
 * Finds the cluster configuration. Returns `{source: 'none', reason}` when no kubeconfig file and no
 * service account exist, and throws when a configuration exists but cannot be read.
 */
export function loadClusterConfig(options: LoadClusterOptions = {}): ClusterConfig | { source: 'none'; reason: string } {
  const env = options.env ?? process.env;
  const serviceAccountDir = options.serviceAccountDir ?? env.PIPEDECK_K8S_SERVICEACCOUNT_DIR ?? DEFAULT_SERVICE_ACCOUNT_DIR;
  const homeKubeconfig = path.join(options.homeDir ?? os.homedir(), '.kube', 'config');

  const kubeConfig = new KubeConfig();
  let source: ClusterConfig['source'];
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((file) => file !== '');
    loadKubeconfigFiles(kubeConfig, files);
    source = 'kubeconfig';
  } else if (fs.existsSync(homeKubeconfig)) {
    kubeConfig.loadFromFile(homeKubeconfig);
    source = 'kubeconfig';
  } else if (fs.existsSync(path.join(serviceAccountDir, 'token'))) {
    loadServiceAccount(kubeConfig, serviceAccountDir, env);
    source = 'in-cluster';
  } else {
    return {
      source: 'none',
      reason: `no cluster is configured: KUBECONFIG is not set, ${homeKubeconfig} does not exist and there is no service-account token in ${serviceAccountDir}`,
    };
  }

  const context = kubeConfig.getCurrentContext();
  const contextObject = context ? kubeConfig.getContextObject(context) : null;
  const cluster = kubeConfig.getCurrentCluster();
  if (!contextObject || !cluster) {
    throw new Error(
      `the kubeconfig has no usable current context (current-context: ${JSON.stringify(context ?? null)}); pick one with \`kubectl config use-context NAME\``,
    );
  }

  const namespace = env.PIPEDECK_NAMESPACE || contextObject.namespace?.trim() || 'default';
  return { source, kubeConfig, context, server: cluster.server, namespace };
}

/** Builds the API objects for a loaded configuration. */
export function createKubernetesClient(config: ClusterConfig): KubernetesClient {
  return {
    config,
    core: config.kubeConfig.makeApiClient(CoreV1Api),
    watch: new Watch(config.kubeConfig),
    log: new Log(config.kubeConfig),
  };
}

/**
 * Describes the configured cluster and whether Pipedeck can list pods in its namespace (which also
 * proves the credentials and permissions work).
 */
export async function describeCluster(options: LoadClusterOptions = {}): Promise<ClusterDescription> {
  let loaded: ReturnType<typeof loadClusterConfig>;
  try {
    loaded = loadClusterConfig(options);
  } catch (error) {
    const message = `the cluster configuration could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { source: 'none', context: null, server: null, namespace: null, reachable: false, message };
  }
  if (loaded.source === 'none') {
    return { source: 'none', context: null, server: null, namespace: null, reachable: false, message: loaded.reason };
  }
  return checkReachable(createKubernetesClient(loaded));
}

/** Lists at most one pod in the client's namespace to find out whether the cluster responds. */
export async function checkReachable(client: KubernetesClient): Promise<ClusterDescription> {
  const { source, context, server, namespace } = client.config;
  const described = { source, context, server, namespace };
  try {
    await client.core.listNamespacedPod({ namespace, limit: 1, labelSelector: 'app.kubernetes.io/managed-by=pipedeck' });
    return { ...described, reachable: true, message: null };
  } catch (error) {
    return { ...described, reachable: false, message: describeApiFailure(error, server) };
  }
}

function loadKubeconfigFiles(kubeConfig: KubeConfig, files: string[]): void {
  const [first, ...rest] = files;
  if (first === undefined) throw new Error('KUBECONFIG names no file');
  kubeConfig.loadFromFile(first);
  // As kubectl does, the first file that sets current-context wins.
  for (const file of rest) {
    const other = new KubeConfig();
    other.loadFromFile(file);
    kubeConfig.mergeConfig(other, Boolean(kubeConfig.getCurrentContext()));
  }
}

/**
 * In-cluster configuration from a service-account directory. This mirrors client-node's
 * `loadFromCluster()`, which only accepts a path prefix, so tests can point it at their own files.
 */
function loadServiceAccount(kubeConfig: KubeConfig, directory: string, env: Record<string, string | undefined>): void {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error(`a service-account token exists in ${directory}, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set`);
  }

  // client-node treats these ports as plain HTTP (kubectl proxy and local test servers use them),
  // and it only sends plain HTTP when TLS verification is marked as skipped.
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const serverHost = host.includes(':') ? `[${host}]` : host;
  const namespaceFile = path.join(directory, 'namespace');
  const namespace = fs.existsSync(namespaceFile) ? fs.readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const caFile = path.join(directory, 'ca.crt');

  kubeConfig.loadFromOptions({
    clusters: [{ name: 'in-cluster', server: `${scheme}://${serverHost}:${port}`, caFile: fs.existsSync(caFile) ? caFile : undefined, skipTLSVerify: scheme === 'http' }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: path.join(directory, 'token') } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', namespace }],
    currentContext: 'in-cluster',
  });
}
