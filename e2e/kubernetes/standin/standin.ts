/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Starts an HTTP(S) server on 127.0.0.1 that serves the core/v1 paths a pipeline executor uses,
 * with a small kubelet that runs each pod's containers as local processes. See index.ts for the
 * list of what is served and which faults can be injected.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ApiError, unauthorized } from './api-errors';
import { CallLog } from './call-log';
import { secretKey, type SecretStore } from './container-config';
import {
  createServingCertificate,
  writeKubeconfigFile,
  writeServiceAccountFilesTo,
  type ServiceAccountFiles,
} from './credentials';
import { EventRecorder } from './event-recorder';
import { FaultInjector } from './faults';
import { sendError } from './http-io';
import { Kubelet } from './kubelet';
import { ResourceStore, ResourceVersionClock } from './resource-store';
import { routeRequest } from './router';
import { DEFAULT_NODE_CAPACITY, type NodeCapacity } from './scheduling';
import type { StandinContext } from './standin-context';
import type { EventObject, PersistentVolumeClaimObject, PodObject } from './types';
import { internalError, serverTimeout, tooManyRequests } from './api-errors';

export interface StandinOptions {
  /** Namespace that exists (besides `default`) and that kubeconfigs name. Default `pipedeck-test`. */
  namespace?: string;
  /** Serve HTTPS with a self-signed certificate (needed for in-cluster configuration). */
  tls?: boolean;
  /** Time from pod create to scheduled. Default 50 ms. */
  schedulingDelayMs?: number;
  /** Time an image pull takes. Default 50 ms. */
  pullDelayMs?: number;
  /** Time between ErrImagePull and ImagePullBackOff and between config error retries. Default 200 ms. */
  retryDelayMs?: number;
  /** Time between watch bookmarks. Default 1000 ms (a real server sends about one a minute). */
  bookmarkIntervalMs?: number;
  /** Changes kept per resource for watches from an older resourceVersion. Default 1000. */
  historyLimit?: number;
  /** Allocatable resources of the single node. Default 8 CPUs, 32Gi memory. */
  nodeCapacity?: NodeCapacity;
}

export interface KubernetesStandin {
  /** `http://127.0.0.1:<port>`, or https with `tls`. */
  url: string;
  port: number;
  namespace: string;
  /** Bearer token the stand-in accepts. */
  token: string;
  /** CA certificate file when `tls` is on. */
  caCertPath?: string;
  faults: FaultInjector;
  calls: CallLog;
  /** Writes `<dir>/kubeconfig` (context `standin`) and returns its path. */
  writeKubeconfig(dir: string, namespace?: string): string;
  /** Writes service-account files for in-cluster configuration; needs `tls`. */
  writeServiceAccountFiles(dir: string, namespace?: string): ServiceAccountFiles;
  /** Makes a secret's keys available to `secretKeyRef` (values are plain text). */
  addSecret(name: string, data: Record<string, string>, namespace?: string): void;
  /** Makes another namespace exist. */
  addNamespace(name: string): void;
  /** Current pods (copies), for assertions. */
  pods(namespace?: string): PodObject[];
  /** Current core/v1 events (copies). */
  events(namespace?: string): EventObject[];
  /** Every pod name ever created, in order, including deleted ones. */
  createdPodNames(): string[];
  /** The host directory behind a PersistentVolumeClaim, or undefined. */
  claimDirectory(name: string, namespace?: string): string | undefined;
  /** Kills every kubelet process, closes open streams and the server, and removes temporary files. */
  stop(): Promise<void>;
}

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

export async function startKubernetesStandin(options: StandinOptions = {}): Promise<KubernetesStandin> {
  const namespace = options.namespace ?? 'pipedeck-test';
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-standin-'));
  const token = `standin-${randomBytes(16).toString('hex')}`;
  const historyLimit = options.historyLimit ?? 1000;
  const clock = new ResourceVersionClock();
  const faults = new FaultInjector();
  const calls = new CallLog();
  const secrets: SecretStore = new Map();
  const pods = new ResourceStore<PodObject>(clock, historyLimit);
  const events = new ResourceStore<EventObject>(clock, historyLimit);
  const claims = new ResourceStore<PersistentVolumeClaimObject>(clock, historyLimit);
  const claimDirectories = new Map<string, string>();

  const kubelet = new Kubelet({
    pods,
    recorder: new EventRecorder(events),
    faults,
    secrets,
    claimDirectory: (claimNamespace, name) => claimDirectories.get(`${claimNamespace}/${name}`),
    rootDir,
    options: {
      schedulingDelayMs: options.schedulingDelayMs ?? 50,
      pullDelayMs: options.pullDelayMs ?? 50,
      retryDelayMs: options.retryDelayMs ?? 200,
      nodeCapacity: options.nodeCapacity ?? DEFAULT_NODE_CAPACITY,
    },
  });
  const context: StandinContext = {
    clock,
    pods,
    events,
    claims,
    claimDirectories,
    kubelet,
    faults,
    namespaces: new Set([namespace, 'default']),
    openWatches: new Set(),
    rootDir,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    createdPodNames: [],
  };
  faults.install({
    podRuleAdded: () => kubelet.armRuntimeFaultsOnRunningPods(),
    expireOpenWatches: () => [...context.openWatches].forEach((watch) => watch.expire()),
    stallOpenWatches: () => [...context.openWatches].forEach((watch) => watch.stall()),
    compactHistory: () => [pods, events, claims].forEach((store) => store.compact()),
  });

  const certificate = options.tls ? createServingCertificate(rootDir) : undefined;
  let serverAddress = '';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const route = routeRequest(context, req, res, url, serverAddress);
    const record = calls.add({
      kind: route.kind,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      time: new Date().toISOString(),
    });
    res.once('finish', () => (record.status = res.statusCode));

    const run = async () => {
      const authorized = req.headers.authorization === `Bearer ${token}`;
      if (!authorized && !PUBLIC_PATHS.has(url.pathname)) throw unauthorized();
      if (route.kind !== 'pods.create') {
        const fault = faults.takeRequestFault(route.kind);
        if (fault?.status === 429) throw tooManyRequests(fault.retryAfterSeconds);
        if (fault?.status === 504) throw serverTimeout();
        if (fault) throw internalError('etcdserver: request timed out');
      }
      await route.handle();
      // Streams set their status once headers go out; the record shows it while they stay open.
      record.status = res.headersSent ? res.statusCode : record.status;
    };
    run().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, error instanceof ApiError ? error : internalError(String(error)));
    });
  };

  const server = certificate
    ? https.createServer({ cert: fs.readFileSync(certificate.certPath), key: fs.readFileSync(certificate.keyPath) }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  serverAddress = `127.0.0.1:${port}`;
  const url = `${certificate ? 'https' : 'http'}://127.0.0.1:${port}`;
  const credentials = (ns?: string) => ({ server: url, token, namespace: ns ?? namespace, caCertPath: certificate?.certPath });

  return {
    url,
    port,
    namespace,
    token,
    caCertPath: certificate?.certPath,
    faults,
    calls,
    writeKubeconfig: (dir, ns) => writeKubeconfigFile(dir, credentials(ns)),
    writeServiceAccountFiles: (dir, ns) => writeServiceAccountFilesTo(dir, { ...credentials(ns), port }),
    addSecret: (name, data, ns) => void secrets.set(secretKey(ns ?? namespace, name), { ...data }),
    addNamespace: (name) => void context.namespaces.add(name),
    pods: (ns) => pods.list(ns),
    events: (ns) => events.list(ns),
    createdPodNames: () => [...context.createdPodNames],
    claimDirectory: (name, ns) => claimDirectories.get(`${ns ?? namespace}/${name}`),
    stop: async () => {
      kubelet.stop();
      for (const watch of [...context.openWatches]) watch.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(rootDir, { recursive: true, force: true });
    },
  };
}
