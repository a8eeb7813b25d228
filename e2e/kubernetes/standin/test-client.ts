/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Helpers for the stand-in's own tests: a real @kubernetes/client-node client through a
 * generated kubeconfig, a recording watch, log reads and polling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import * as k8s from '@kubernetes/client-node';

import type { KubernetesStandin } from './standin';

export interface StandinClient {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  namespace: string;
}

export function connect(standin: KubernetesStandin): StandinClient {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-kubeconfig-'));
  const config = new k8s.KubeConfig();
  config.loadFromFile(standin.writeKubeconfig(dir));
  return { config, core: config.makeApiClient(k8s.CoreV1Api), namespace: standin.namespace };
}

/** Builds a pod with one container `main` running `command`, restartPolicy Never. */
export function podManifest(name: string, command: string[], extra: { labels?: Record<string, string>; spec?: Partial<k8s.V1PodSpec>; container?: Partial<k8s.V1Container> } = {}): k8s.V1Pod {
  return {
    metadata: { name, labels: extra.labels ?? { app: 'standin-test' } },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'busybox:1.36', command, ...extra.container }],
      ...extra.spec,
    },
  };
}

export interface RecordedEvent {
  type: string;
  object: k8s.KubernetesObject & { status?: k8s.V1PodStatus; code?: number; reason?: string; message?: string };
}

/** A watch that records its events and how it ended. */
export interface RecordingWatch {
  events: RecordedEvent[];
  /** Settles with the error (or null) the watch ended with. */
  done: Promise<unknown>;
  abort(): void;
}

export async function recordWatch(client: StandinClient, resourcePath: string, query: Record<string, string | boolean | number>): Promise<RecordingWatch> {
  const events: RecordedEvent[] = [];
  let finish: (error: unknown) => void = () => {};
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new k8s.Watch(client.config).watch(
    resourcePath,
    query,
    (type, object) => events.push({ type, object }),
    (error) => finish(error),
  );
  return { events, done, abort: () => controller.abort() };
}

/** Reads a container log through client-node's Log; resolves with the text once the stream ends. */
export async function readLog(client: StandinClient, pod: string, options: k8s.LogOptions): Promise<string> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
  await new k8s.Log(client.config).log(client.namespace, pod, 'main', stream, options);
  await ended;
  return text;
}

/** Polls `read` every 25 ms until `accept` returns true; rejects after `timeoutMs`. */
export async function waitFor<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Returns the pod's status from the stand-in's store, or undefined once the pod is gone. */
export function podStatus(standin: KubernetesStandin, name: string) {
  return standin.pods().find((pod) => pod.metadata.name === name)?.status;
}

/** The HTTP status, Status body and headers of a failed client-node call. */
export interface ApiFailure {
  code: number;
  status: { reason?: string; message?: string; code?: number; details?: Record<string, unknown> };
  headers: Record<string, string>;
}

export async function apiFailure(call: Promise<unknown>): Promise<ApiFailure> {
  try {
    await call;
  } catch (error) {
    const failure = error as { code?: number; body?: unknown; headers?: Record<string, string> };
    if (typeof failure.code !== 'number') throw error;
    const body = typeof failure.body === 'string' && failure.body !== '' ? JSON.parse(failure.body) : (failure.body ?? {});
    return { code: failure.code, status: body as ApiFailure['status'], headers: failure.headers ?? {} };
  }
  throw new Error('the call succeeded, but a failure was expected');
}
