/**
 * The kubernetes executor: one pod per step attempt, followed through one shared watch per
 * namespace. Pod names derive from the run, step and attempt, so a restarted server finds its pods
 * again, and a create that fails with 409 AlreadyExists adopts the pod instead of starting another.
 */
import type { V1Pod } from '@kubernetes/client-node';

import type { Logger } from '../../logger';
import type { JsonValue, Pipeline } from '../../pipeline/schema';
import type { AttemptHandle, AttemptLocation, AttemptResult, AttemptSpec, Availability, Executor, StepPaths } from '../types';
import { describeApiError } from './api-error';
import { withApiRetries } from './api-retry';
import { checkReachable, createKubernetesClient, loadClusterConfig, type ClusterDescription, type KubernetesClient } from './client';
import { containerStepPaths, runVolumeFor } from './container-paths';
import { PodAttempt, type PodAttemptContext } from './pod-attempt';
import { podNameFor, podOwnerOf, runSelector } from './pod-names';
import { buildPod, PodSpecError, terminationMessagePathFor } from './pod-spec';
import { readResult } from './result-record';
import { RunClaims } from './run-claims';
import { parseKubernetesSettings, type KubernetesSettings } from './settings';
import type { PodWatchOptions } from './watch';
import { PodWatch } from './watch';

export interface KubernetesExecutorOptions {
  /** Environment to read settings and the cluster from; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Replaces settings read from `env`, e.g. short grace periods in tests. */
  settings?: Partial<KubernetesSettings>;
  /** A ready client; by default one is built from `env` (see `client.ts`). */
  client?: KubernetesClient;
  logger?: Logger;
  watch?: PodWatchOptions;
  /** Wait before a dropped log stream is resumed. Default 1000 ms. */
  logRetryDelayMs?: number;
  /** How long the log stream may stay open after the container ended. Default 5000 ms. */
  logEndWaitMs?: number;
  /** How often a cancelled attempt checks that its pod is gone. Default 5000 ms. */
  goneCheckIntervalMs?: number;
  /** Maximum tries of a pod create that fails with 429 or 5xx. Default 6. */
  createTries?: number;
  /** First wait between create tries; it doubles each time. Default 500 ms. */
  createRetryDelayMs?: number;
  /** Grace period given to a pod deleted on cancel. Default 5 s. */
  cancelGracePeriodSeconds?: number;
  /** How long a reachability check is reused. Default 10000 ms. */
  availabilityCacheMs?: number;
  /** How long `reattach` and `reconcile` wait for the first pod list. Default 10000 ms. */
  firstListTimeoutMs?: number;
}

/** The ref stored with each attempt. */
export interface KubernetesAttemptRef {
  podName: string;
  namespace: string;
}

export class KubernetesExecutor implements Executor {
  readonly name = 'kubernetes' as const;
  readonly supportsSecrets = true;
  readonly settings: KubernetesSettings;
  private readonly client: KubernetesClient | undefined;
  private readonly unavailableReason: string | undefined;
  private readonly watch: PodWatch | undefined;
  private readonly context: PodAttemptContext | undefined;
  private readonly claims: RunClaims | undefined;
  private readonly live = new Map<string, PodAttempt>();
  private readonly runDeletions = new Map<string, Promise<void>>();
  private availability: { checkedAt: number; description: ClusterDescription } | undefined;

  /** Finds steps that would fail at pod creation: several value outputs, or artifacts with no storage. */
  checkPipeline(pipeline: Pipeline): string[] {
    const problems: string[] = [];
    for (const step of pipeline.steps) {
      const outputs = step.outputs.map((output) => ({ name: output.name, type: output.type }));
      try {
        terminationMessagePathFor({ stepId: step.id, outputs });
      } catch (error) {
        if (!(error instanceof PodSpecError)) throw error;
        problems.push(error.message);
      }

      const passesArtifacts = [...step.inputs, ...step.outputs].some((port) => port.type === 'artifact');
      if (passesArtifacts && this.settings.artifacts.kind === 'none') {
        problems.push(
          `step \`${step.id}\` passes artifacts, but no artifact storage is configured; set PIPEDECK_K8S_STORAGE_CLASS or PIPEDECK_K8S_ARTIFACT_CLAIM`,
        );
      }
    }
    return problems;
  }

  constructor(private readonly options: KubernetesExecutorOptions = {}) {
    const env = options.env ?? process.env;
    this.settings = { ...parseKubernetesSettings(env), ...options.settings };

    let client = options.client;
    if (!client) {
      try {
        const loaded = loadClusterConfig({ env, serviceAccountDir: this.settings.serviceAccountDir });
        if (loaded.source === 'none') this.unavailableReason = loaded.reason;
        else client = createKubernetesClient({ ...loaded, namespace: this.settings.namespace ?? loaded.namespace });
      } catch (error) {
        this.unavailableReason = `the cluster configuration could not be read: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (!client) return;

    this.client = client;
    const namespace = client.config.namespace;
    this.watch = new PodWatch(client, namespace, options.logger, options.watch);
    this.claims = new RunClaims(client.core, namespace);
    this.context = {
      client,
      namespace,
      watch: this.watch,
      logger: options.logger,
      podCleanup: this.settings.podCleanup,
      graceMs: { image: this.settings.imageErrorGraceMs, unschedulable: this.settings.unschedulableGraceMs },
      logOptions: { retryDelayMs: options.logRetryDelayMs ?? 1000, endWaitMs: options.logEndWaitMs ?? 5000 },
      goneCheckIntervalMs: options.goneCheckIntervalMs ?? 5000,
      deleteRunPods: (runId) => this.deleteRunPods(runId),
    };
  }

  /** Describes the cluster this executor uses and whether it responds. The check is reused for a few seconds. */
  async describeCluster(): Promise<ClusterDescription> {
    if (!this.client) {
      return { source: 'none', context: null, server: null, namespace: null, reachable: false, message: this.unavailableReason ?? null };
    }
    const now = Date.now();
    const cacheMs = this.options.availabilityCacheMs ?? 10_000;
    if (!this.availability || now - this.availability.checkedAt > cacheMs) {
      this.availability = { checkedAt: now, description: await checkReachable(this.client) };
    }
    return this.availability.description;
  }

  async checkAvailability(): Promise<Availability> {
    const cluster = await this.describeCluster();
    if (!cluster.reachable) return { available: false, reason: cluster.message ?? 'the cluster is not reachable' };
    return { available: true, detail: `pods run in namespace ${cluster.namespace} of context ${cluster.context} (${cluster.server})` };
  }

  stepPaths(_location: AttemptLocation, outputs: { name: string; type?: string }[], inputArtifacts: Record<string, string>): StepPaths {
    return containerStepPaths(outputs, inputArtifacts);
  }

  async start(spec: AttemptSpec): Promise<AttemptHandle> {
    const { client, context } = this.requireClient();
    const runVolume = runVolumeFor(this.settings.artifacts, spec.runId);
    const pod = buildPod(spec, { namespace: context.namespace, runVolume });
    if (pod.spec?.volumes?.length && runVolume && this.settings.artifacts.kind === 'per-run-claim') {
      await this.claims!.ensure(spec.runId, runVolume, this.settings.artifacts);
    }

    const attempt = new PodAttempt(spec, runVolume, context);
    this.track(attempt);
    attempt.listen();
    try {
      const created = await this.createPod(pod, spec);
      attempt.confirmExists(created);
    } catch (error) {
      if (describeApiError(error).status !== 409) this.failStart(attempt, `creating pod ${attempt.podName} failed`, error);
      let existing: V1Pod;
      try {
        existing = this.watch!.get(attempt.podName) ?? (await client.core.readNamespacedPod({ namespace: context.namespace, name: attempt.podName }));
      } catch (readError) {
        this.failStart(attempt, `pod ${attempt.podName} already exists, but reading it failed`, readError);
      }
      this.adoptExisting(attempt, existing, spec);
    }
    return this.handleFor(attempt);
  }

  async reattach(spec: AttemptSpec, storedRef: JsonValue): Promise<AttemptHandle | undefined> {
    const saved = readResult(spec.attemptDir);
    if (saved) return settledHandle(refOf(podNameFor(spec), this.client?.config.namespace ?? ''), saved);

    const { context } = this.requireClient();
    const podName = podNameOf(storedRef) ?? podNameFor(spec);
    const listed = await this.waitForFirstList();
    const pod = this.watch!.get(podName);
    if (listed && !pod) return undefined;

    const attempt = new PodAttempt(spec, runVolumeFor(this.settings.artifacts, spec.runId), context);
    this.track(attempt);
    attempt.listen();
    attempt.note(`the server restarted; following pod ${podName} again`);
    attempt.confirmExists(pod);
    return this.handleFor(attempt);
  }

  /**
   * Deletes Pipedeck pods that belong to no running attempt: active pods left by a crash (they
   * would run beside a retry) and ended pods the cleanup policy removes. Pods of running attempts
   * were adopted by `reattach`.
   */
  async reconcile(running: AttemptLocation[]): Promise<void> {
    if (!this.client || !this.watch) return;
    if (!(await this.waitForFirstList())) {
      this.options.logger?.warn({ namespace: this.client.config.namespace }, 'pods were not listed in time; leftover pods are not cleaned up now');
      return;
    }

    const expected = new Set(running.map((location) => podNameFor(location)));
    for (const pod of this.watch.snapshot()) {
      const name = pod.metadata?.name;
      if (!name || expected.has(name) || this.live.has(name)) continue;
      if (!this.shouldDeleteLeftover(pod)) continue;

      const owner = podOwnerOf(pod.metadata);
      this.options.logger?.warn({ podName: name, ...owner, phase: pod.status?.phase }, 'deleting a pipedeck pod that belongs to no running attempt');
      try {
        await this.client.core.deleteNamespacedPod({ namespace: this.client.config.namespace, name });
      } catch (error) {
        this.options.logger?.warn({ podName: name, error: describeApiError(error).message }, 'deleting a leftover pod failed');
      }
    }
  }

  /** Stops the watch and stops following attempts, without deleting pods: the next server picks them up. */
  close(): void {
    for (const attempt of this.live.values()) attempt.detach();
    this.live.clear();
    this.watch?.stop();
  }

  private shouldDeleteLeftover(pod: V1Pod): boolean {
    const phase = pod.status?.phase;
    if (phase !== 'Succeeded' && phase !== 'Failed') return true;
    if (phase === 'Succeeded') return this.settings.podCleanup !== 'never';
    return this.settings.podCleanup === 'always';
  }

  private async createPod(pod: V1Pod, spec: AttemptSpec): Promise<V1Pod> {
    const { client, context } = this.requireClient();
    return withApiRetries(() => client.core.createNamespacedPod({ namespace: context.namespace, body: pod }), {
      tries: this.options.createTries ?? 6,
      delayMs: this.options.createRetryDelayMs ?? 500,
      maxDelayMs: 30_000,
      onRetry: (problem, waitMs, triesLeft) =>
        this.options.logger?.warn(
          { runId: spec.runId, stepId: spec.stepId, attempt: spec.attempt, status: problem.status, error: problem.message, waitMs, triesLeft },
          'creating the pod failed; retrying',
        ),
    });
  }

  /** Forgets an attempt whose pod could not be created or adopted, and throws why. */
  private failStart(attempt: PodAttempt, what: string, error: unknown): never {
    attempt.abandon();
    this.live.delete(attempt.podName);
    throw new Error(`${what}: ${describeApiError(error).message}`);
  }

  private adoptExisting(attempt: PodAttempt, existing: V1Pod, spec: AttemptSpec): void {
    const owner = podOwnerOf(existing.metadata);
    if (!owner || owner.runId !== spec.runId || owner.stepId !== spec.stepId || owner.attempt !== spec.attempt) {
      const namespace = this.client!.config.namespace;
      this.failStart(attempt, `pod ${attempt.podName} already exists in namespace ${namespace}`, new Error('it does not belong to this attempt; delete it and retry'));
    }
    attempt.note(`pod ${attempt.podName} already existed; following it instead of creating another`);
    attempt.confirmExists(existing);
  }

  private deleteRunPods(runId: string): Promise<void> {
    let pending = this.runDeletions.get(runId);
    if (!pending) {
      const { client } = this.requireClient();
      pending = client.core
        .deleteCollectionNamespacedPod({
          namespace: client.config.namespace,
          labelSelector: runSelector(runId),
          gracePeriodSeconds: this.options.cancelGracePeriodSeconds ?? 5,
        })
        .then(() => undefined)
        .finally(() => this.runDeletions.delete(runId));
      this.runDeletions.set(runId, pending);
    }
    return pending;
  }

  private async waitForFirstList(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.options.firstListTimeoutMs ?? 10_000)));
    const listed = await Promise.race([this.watch!.ready().then(() => true), timeout]);
    clearTimeout(timer);
    return listed;
  }

  private track(attempt: PodAttempt): void {
    this.live.set(attempt.podName, attempt);
    void attempt.result.then(() => {
      if (this.live.get(attempt.podName) === attempt) this.live.delete(attempt.podName);
    });
  }

  private handleFor(attempt: PodAttempt): AttemptHandle {
    return { ref: refOf(attempt.podName, this.client!.config.namespace), result: attempt.result, cancel: () => attempt.cancel() };
  }

  private requireClient(): { client: KubernetesClient; context: PodAttemptContext } {
    if (!this.client || !this.context) throw new Error(this.unavailableReason ?? 'no Kubernetes cluster is configured');
    return { client: this.client, context: this.context };
  }
}

function refOf(podName: string, namespace: string): JsonValue {
  const ref: KubernetesAttemptRef = { podName, namespace };
  return { ...ref };
}

function podNameOf(ref: JsonValue): string | undefined {
  if (ref === null || typeof ref !== 'object' || Array.isArray(ref)) return undefined;
  return typeof ref.podName === 'string' && ref.podName !== '' ? ref.podName : undefined;
}

function settledHandle(ref: JsonValue, result: AttemptResult): AttemptHandle {
  return { ref, result: Promise.resolve(result), cancel: async () => {} };
}
