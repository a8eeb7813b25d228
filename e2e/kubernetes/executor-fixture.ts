/**
 * Support for the kubernetes executor's tests: a Kubernetes API stand-in (a test double), a store in
 * a temporary directory, and an engine whose kubernetes executor reaches the stand-in through a
 * generated kubeconfig with the real @kubernetes/client-node. Grace periods and retry waits are
 * short so faults show within seconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Engine } from '@/lib/engine/engine';
import { stepOf, waitFor as pollFor } from '@/lib/engine/engine-test-support';
import type { RunWithSteps, StepRunRecord } from '@/lib/engine/types';
import { KubernetesExecutor, type KubernetesExecutorOptions } from '@/lib/executors/kubernetes/kubernetes-executor';
import type { KubernetesSettings } from '@/lib/executors/kubernetes/settings';
import { createSilentLogger } from '@/lib/logger';
import { pipelineSchema, type PipelineInput, type StepInput } from '@/lib/pipeline/schema';
import { openStore } from '@/lib/store/sqlite-store';
import type { Store } from '@/lib/store/types';

import { startKubernetesStandin, type KubernetesStandin, type StandinOptions } from './standin';

export interface ExecutorFixture {
  standin: KubernetesStandin;
  dir: string;
  kubeconfig: string;
  store: Store;
  executor: KubernetesExecutor;
  engine: Engine;
}

export interface FixtureOptions {
  standin?: StandinOptions;
  settings?: Partial<KubernetesSettings>;
  executor?: Partial<KubernetesExecutorOptions>;
}

/** Settings that make grace periods and retries short enough for tests. */
export const FAST_SETTINGS: Partial<KubernetesSettings> = { imageErrorGraceMs: 1500, unschedulableGraceMs: 1500 };

/** Executor options with short waits; the watch is restarted after 1.5 s of silence. */
export function fastExecutorOptions(kubeconfig: string, options: FixtureOptions = {}): KubernetesExecutorOptions {
  return {
    env: { KUBECONFIG: kubeconfig },
    settings: { ...FAST_SETTINGS, ...options.settings },
    logger: createSilentLogger(),
    watch: { stallTimeoutMs: 1500, retryDelayMs: 100, resyncIntervalMs: 60_000 },
    logRetryDelayMs: 100,
    logEndWaitMs: 1000,
    goneCheckIntervalMs: 500,
    createRetryDelayMs: 50,
    cancelGracePeriodSeconds: 1,
    availabilityCacheMs: 0,
    firstListTimeoutMs: 5000,
    ...options.executor,
  };
}

/** Starts a stand-in, a store and an engine with the kubernetes executor. */
export async function startExecutorFixture(options: FixtureOptions = {}): Promise<ExecutorFixture> {
  const standin = await startKubernetesStandin({ bookmarkIntervalMs: 300, ...options.standin });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-e2e-'));
  const kubeconfig = standin.writeKubeconfig(dir);
  const store = openStore(path.join(dir, 'data'));
  const { executor, engine } = await startEngine(store, kubeconfig, options);
  return { standin, dir, kubeconfig, store, executor, engine };
}

/** Starts an engine (and a new executor) on an existing store, as a restarted server does. */
export async function startEngine(store: Store, kubeconfig: string, options: FixtureOptions = {}): Promise<{ executor: KubernetesExecutor; engine: Engine }> {
  const executor = new KubernetesExecutor(fastExecutorOptions(kubeconfig, options));
  const engine = new Engine({ store, executors: [executor], logger: createSilentLogger(), defaultExecutor: 'kubernetes' });
  await engine.start();
  return { executor, engine };
}

export async function stopExecutorFixture(fixture: ExecutorFixture | undefined): Promise<void> {
  if (!fixture) return;
  await fixture.engine.stop();
  fixture.executor.close();
  fixture.store.close();
  await fixture.standin.stop();
  fs.rmSync(fixture.dir, { recursive: true, force: true });
}

/** Stores a pipeline of the given steps (image `busybox:1.36` unless a step sets one). */
export function createPipeline(store: Store, steps: (Omit<StepInput, 'image' | 'name'> & { image?: string })[], extra: Partial<PipelineInput> = {}): string {
  const definition = pipelineSchema.parse({
    name: 'kubernetes test pipeline',
    ...extra,
    steps: steps.map((step) => ({ name: step.id, image: 'busybox:1.36', ...step })),
  });
  return store.createPipeline(definition).id;
}

/** Submits a run of the steps and waits for it to finish. */
export async function runSteps(fixture: ExecutorFixture, steps: Omit<StepInput, 'image' | 'name'>[], timeoutMs = 30_000): Promise<RunWithSteps> {
  const pipelineId = createPipeline(fixture.store, steps);
  const run = await fixture.engine.submitRun({ pipelineId });
  return fixture.engine.waitForRun(run.id, timeoutMs);
}

export { stepOf };

/** Lines of one attempt's log as `{source, text}`. */
export function logLines(store: Store, runId: string, stepId: string, attempt = 1): { source: string; text: string }[] {
  const file = store.logFile(runId, stepId, attempt);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (stdout|stderr|system) (.*)$/.exec(line);
      if (!match) throw new Error(`log line has the wrong format: ${line}`);
      return { source: match[1]!, text: match[2]! };
    });
}

export function stdoutOf(store: Store, runId: string, stepId: string, attempt = 1): string[] {
  return logLines(store, runId, stepId, attempt)
    .filter((line) => line.source === 'stdout')
    .map((line) => line.text);
}

/** Polls `read` until it returns a value other than undefined, allowing pods longer than local processes. */
export function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  return pollFor(read, what, timeoutMs);
}

/** Seconds between a step's start and end as stored. */
export function stepSeconds(step: StepRunRecord): number {
  if (!step.startedAt || !step.finishedAt) throw new Error(`step ${step.stepId} has no start or end time`);
  return (Date.parse(step.finishedAt) - Date.parse(step.startedAt)) / 1000;
}
