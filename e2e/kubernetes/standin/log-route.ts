/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * GET pods/{name}/log with follow, timestamps, sinceTime, sinceSeconds, tailLines, limitBytes
 * and container, answering with the status codes and messages of the API server and kubelet:
 * 400 while the container waits to start, an empty 200 before the pod is scheduled, 500 when
 * the node is unreachable.
 *
 * sinceTime is truncated to whole seconds before lines are compared, because the API server
 * passes it to the kubelet as a metav1.Time: a resumed stream repeats the lines already read in
 * that second, and callers must drop duplicates themselves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError, badRequest, notFound } from './api-errors';
import { formatRfc3339Nano, nowNs } from './clock';
import { queryFlag } from './http-io';
import type { LogBuffer, LogLine } from './log-buffer';
import { requireNamespace } from './pod-routes';
import type { StandinContext } from './standin-context';
import type { PodObject } from './types';

function chooseContainer(pod: PodObject, requested: string | null): string {
  const names = pod.spec.containers.map((container) => container.name);
  if (requested === null || requested === '') {
    if (names.length === 1) return names[0] as string;
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  }
  if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
  return requested;
}

/** The kubelet's check that a container has output to show (validateContainerLogStatus). */
function checkContainerStarted(pod: PodObject, container: string): void {
  const status = pod.status.containerStatuses?.find((candidate) => candidate.name === container);
  const waiting = status?.state.waiting;
  if (!status || !waiting) return;
  const reason = waiting.reason === 'ErrImagePull' || waiting.reason === 'ImagePullBackOff' ? "image can't be pulled" : waiting.reason;
  throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

/** Lowest timestamp a line may have, from sinceTime (whole seconds) or sinceSeconds. */
function sinceNs(query: URLSearchParams): bigint {
  const sinceTime = query.get('sinceTime');
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    return BigInt(Math.floor(ms / 1000)) * 1_000_000_000n;
  }
  const sinceSeconds = query.get('sinceSeconds');
  if (sinceSeconds) return nowNs() - BigInt(Number(sinceSeconds)) * 1_000_000_000n;
  return 0n;
}

function formatLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${formatRfc3339Nano(line.timestampNs)} ${line.text}\n` : `${line.text}\n`;
}

export function streamPodLog(context: StandinContext, req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams): void {
  requireNamespace(context, namespace);
  const pod = context.pods.get(namespace, name);
  if (!pod) throw notFound('pods', name);
  const container = chooseContainer(pod, query.get('container'));

  if (context.kubelet.isNodeLost(namespace, name)) {
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Get "https://127.0.0.1:10250/containerLogs/${namespace}/${name}/${container}": dial tcp 127.0.0.1:10250: connect: no route to host`,
      reason: 'InternalError',
      code: 500,
    });
  }
  if (queryFlag(query.get('previous'))) {
    throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  }
  const buffer = context.kubelet.logs(namespace, name, container);
  if (!pod.spec.nodeName || !buffer) {
    // The API server has no kubelet to ask yet and answers with an empty log.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  checkContainerStarted(pod, container);
  writeLog(res, req, buffer, query, context.faults.takePodFault('cutLogStream', pod));
}

function writeLog(res: ServerResponse, req: IncomingMessage, buffer: LogBuffer, query: URLSearchParams, cut: { afterLines: number; mode: 'end' | 'destroy' } | undefined): void {
  const timestamps = queryFlag(query.get('timestamps'));
  const follow = queryFlag(query.get('follow'));
  const since = sinceNs(query);
  const tailLines = query.get('tailLines');
  const limitBytes = Number(query.get('limitBytes') ?? 0);

  let next = buffer.lines.findIndex((line) => line.timestampNs >= since);
  if (next === -1) next = buffer.lines.length;
  if (tailLines !== null) next = Math.max(next, buffer.lines.length - Number(tailLines));

  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let written = 0;
  let bytes = 0;
  let finished = false;
  let unsubscribe = () => {};
  const finish = (mode: 'end' | 'destroy') => {
    if (finished) return;
    finished = true;
    unsubscribe();
    if (mode === 'destroy') res.destroy();
    else res.end();
  };
  const pump = () => {
    while (!finished && next < buffer.lines.length) {
      if (cut && written >= cut.afterLines) return finish(cut.mode);
      const text = Buffer.from(formatLine(buffer.lines[next] as LogLine, timestamps));
      next += 1;
      written += 1;
      if (limitBytes > 0 && bytes + text.length >= limitBytes) {
        res.write(text.subarray(0, limitBytes - bytes));
        return finish('end');
      }
      bytes += text.length;
      res.write(text);
    }
    if (cut && written >= cut.afterLines) return finish(cut.mode);
    if (!follow || buffer.ended) finish('end');
  };

  req.once('close', () => finish('end'));
  unsubscribe = buffer.subscribe(pump);
  pump();
}
