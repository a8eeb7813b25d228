/**
 * A server killed with SIGKILL mid-run and started again: the run finishes correctly, no pod is
 * created twice for one attempt and no log line is lost or repeated. The first server is a child
 * process (`server-process.ts`). The second is an engine in this process on the same store, and
 * both talk to the Kubernetes API stand-in (a test double).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '@/lib/engine/engine';
import { podNameFor } from '@/lib/executors/kubernetes/pod-names';
import type { KubernetesExecutor } from '@/lib/executors/kubernetes/kubernetes-executor';
import { openStore } from '@/lib/store/sqlite-store';
import type { Store } from '@/lib/store/types';

import { createPipeline, logLines, startEngine, stdoutOf, stepOf, waitFor } from './executor-fixture';
import { startKubernetesStandin, type KubernetesStandin } from './standin';

const SERVER_SCRIPT = path.resolve('e2e', 'kubernetes', 'server-process.ts');

let standin: KubernetesStandin | undefined;
let child: ChildProcess | undefined;
let dir: string | undefined;
let store: Store | undefined;
let restarted: { executor: KubernetesExecutor; engine: Engine } | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  await restarted?.engine.stop();
  restarted?.executor.close();
  store?.close();
  await standin?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  [standin, child, dir, store, restarted] = [undefined, undefined, undefined, undefined, undefined];
});

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`);
}

function countingCommand(prefix: string, count: number, pause: number): string[] {
  return ['sh', '-c', `i=1; while [ $i -le ${count} ]; do echo "${prefix} $i"; i=$((i+1)); sleep ${pause}; done`];
}

/** Starts the first server and resolves with the id of the run it submitted. */
async function startServerProcess(dataDir: string, kubeconfig: string, pipelineId: string): Promise<string> {
  // Node itself with tsx's loader, not the tsx command: that one runs the script in a grandchild,
  // which SIGKILL would not reach.
  child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT, dataDir, kubeconfig, pipelineId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const lines = readline.createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server process printed no run id: ${stderr}`)), 30_000);
    lines.on('line', (line) => {
      const value = JSON.parse(line) as { runId?: string };
      if (value.runId) {
        clearTimeout(timer);
        resolve(value.runId);
      }
    });
    child!.once('exit', (code) => reject(new Error(`the server process exited with code ${code}: ${stderr}`)));
  });
}

describe('fault matrix', () => {
  it('finishes a run after the server is killed mid-run', async () => {
    standin = await startKubernetesStandin({ bookmarkIntervalMs: 300 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-restart-'));
    const dataDir = path.join(dir, 'data');
    const kubeconfig = standin.writeKubeconfig(dir);

    const setupStore = openStore(dataDir);
    const pipelineId = createPipeline(setupStore, [
      { id: 'first', command: countingCommand('first', 40, 0.1) },
      { id: 'beside', command: countingCommand('beside', 30, 0.1) },
      { id: 'second', command: countingCommand('second', 5, 0.05), dependsOn: ['first'] },
    ]);
    setupStore.close();

    const runId = await startServerProcess(dataDir, kubeconfig, pipelineId);
    store = openStore(dataDir);
    await waitFor(() => (stdoutOf(store!, runId, 'first').length >= 8 ? true : undefined), 'the first step to print lines');
    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    // The pods keep running and printing while no server follows them.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    restarted = await startEngine(store, kubeconfig);
    const run = await restarted.engine.waitForRun(runId, 60_000);

    expect(run.status).toBe('succeeded');
    expect(run.steps.map((step) => [step.stepId, step.status, step.attempts.length])).toEqual([
      ['first', 'succeeded', 1],
      ['beside', 'succeeded', 1],
      ['second', 'succeeded', 1],
    ]);
    expect(stdoutOf(store, runId, 'first')).toEqual(numbered('first', 40));
    expect(stdoutOf(store, runId, 'beside')).toEqual(numbered('beside', 30));
    expect(stdoutOf(store, runId, 'second')).toEqual(numbered('second', 5));

    const created = standin.createdPodNames();
    expect(created.toSorted()).toEqual(['first', 'beside', 'second'].map((stepId) => podNameFor({ runId, stepId, attempt: 1 })).toSorted());
    const firstPod = podNameFor({ runId, stepId: 'first', attempt: 1 });
    expect(logLines(store, runId, 'first').map((line) => line.text)).toContain(`the server restarted; following pod ${firstPod} again`);
    expect(stepOf(run, 'first').exitCode).toBe(0);
  });

  it("stores the container's end time for a pod that ended while the server was down", async () => {
    standin = await startKubernetesStandin({ bookmarkIntervalMs: 300 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-restart-'));
    const kubeconfig = standin.writeKubeconfig(dir);
    store = openStore(path.join(dir, 'data'));

    restarted = await startEngine(store, kubeconfig);
    const pipelineId = createPipeline(store, [{ id: 'brief', command: ['sh', '-c', 'sleep 0.5; echo done'] }]);
    const run = await restarted.engine.submitRun({ pipelineId });
    const podName = podNameFor({ runId: run.id, stepId: 'brief', attempt: 1 });
    await waitFor(() => standin!.pods().find((pod) => pod.metadata.name === podName && pod.status?.phase === 'Running'), 'the pod to run');
    await restarted.engine.stop();
    restarted.executor.close();

    const endedPod = await waitFor(() => standin!.pods().find((pod) => pod.metadata.name === podName && pod.status?.phase === 'Succeeded'), 'the pod to end');
    const containerEnd = endedPod.status?.containerStatuses?.[0]?.state.terminated?.finishedAt;
    if (typeof containerEnd !== 'string') throw new Error('the ended pod has no finishedAt');
    // The server stays down for a while after the container ended.
    await new Promise((resolve) => setTimeout(resolve, 2500));

    restarted = await startEngine(store, kubeconfig);
    const ended = await restarted.engine.waitForRun(run.id, 30_000);

    const step = stepOf(ended, 'brief');
    expect(step.status).toBe('succeeded');
    // The kubelet keeps whole seconds; the end is taken as the last moment of that second.
    const expected = new Date(Date.parse(containerEnd) + 999).toISOString();
    expect(step.finishedAt).toBe(expected);
    expect(step.attempts[0]?.finishedAt).toBe(expected);
  });

  it('deletes a pod that belongs to no running attempt on start', async () => {
    standin = await startKubernetesStandin({ bookmarkIntervalMs: 300 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-restart-'));
    const kubeconfig = standin.writeKubeconfig(dir);
    store = openStore(path.join(dir, 'data'));

    // A pod of an attempt the store does not count as running, as a crash can leave behind.
    restarted = await startEngine(store, kubeconfig);
    const pipelineId = createPipeline(store, [{ id: 'orphan', command: ['sleep', '30'] }]);
    const run = await restarted.engine.submitRun({ pipelineId });
    const orphanPod = podNameFor({ runId: run.id, stepId: 'orphan', attempt: 1 });
    await waitFor(() => standin!.pods().find((pod) => pod.metadata.name === orphanPod && pod.status?.phase === 'Running'), 'the pod to run');
    await restarted.engine.stop();
    restarted.executor.close();
    store.updateAttempt(run.id, 'orphan', 1, { status: 'failed', reason: 'Lost', finishedAt: new Date().toISOString() });
    store.updateStepRun(run.id, 'orphan', { status: 'failed', reason: 'Lost' });
    store.updateRun(run.id, { status: 'failed', finishedAt: new Date().toISOString() });

    restarted = await startEngine(store, kubeconfig);
    await waitFor(() => (standin!.pods().length === 0 ? true : undefined), 'the orphaned pod to be deleted');
    expect(standin.createdPodNames()).toEqual([orphanPod]);
  });
});
