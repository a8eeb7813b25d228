/**
 * Follows one attempt's pod from its first update to its end. It reads status from the shared
 * watch, copies logs into the attempt's log file and events as `system` lines, applies grace
 * periods to problems that may clear up, reads outputs from the termination message and applies
 * the cleanup policy. `result` settles exactly once.
 */
import type { V1Pod } from '@kubernetes/client-node';

import type { Logger } from '../../logger';
import type { AttemptResult, AttemptSpec } from '../types';
import { describeApiError, isNotFound } from './api-error';
import { AttemptLogWriter } from './attempt-log-writer';
import type { KubernetesClient } from './client';
import type { RunVolume } from './container-paths';
import { copyPodEvents } from './events';
import { PodLogFollower, type LogFollowerOptions } from './logs';
import { collectOutputs } from './outputs';
import { podNameFor } from './pod-names';
import { saveResult } from './result-record';
import type { PodCleanupPolicy } from './settings';
import { assessPod, attemptEndTime, outcomeOfVanishedPod, podHasEnded, stepContainerStatus, type PodOutcome, type ProblemKind } from './status';
import type { PodUpdate, PodWatch } from './watch';

/** Clients, settings and timings shared by every attempt of one executor. */
export interface PodAttemptContext {
  client: KubernetesClient;
  namespace: string;
  watch: PodWatch;
  logger: Logger | undefined;
  podCleanup: PodCleanupPolicy;
  graceMs: Record<ProblemKind, number>;
  logOptions: LogFollowerOptions;
  /** Interval at which a cancelled attempt reads its pod, in case the watch missed the deletion. */
  goneCheckIntervalMs: number;
  /** Deletes every pod of a run by label selector; calls for one run at the same time share one request. */
  deleteRunPods(runId: string): Promise<void>;
}

type Phase = 'active' | 'cancelling' | 'finishing' | 'settled';

export class PodAttempt {
  readonly podName: string;
  readonly result: Promise<AttemptResult>;
  private resolveResult!: (result: AttemptResult) => void;
  private phase: Phase = 'active';
  private readonly writer: AttemptLogWriter;
  private readonly logs: PodLogFollower;
  private logsStarted = false;
  private lastPod: V1Pod | undefined;
  /** When the pod was first known to exist (epoch ms); lists that started earlier cannot prove it gone. */
  private existsSince: number | undefined;
  private problem: { kind: ProblemKind; since: number; reason: string; message: string } | undefined;
  private problemTimer: NodeJS.Timeout | undefined;
  private readonly problemsShown = new Set<string>();
  private eventsCopied = false;
  private goneTimer: NodeJS.Timeout | undefined;
  /** The last read of the log after a cancel, started once the container has ended. */
  private cancelLogs: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly spec: AttemptSpec,
    private readonly runVolume: RunVolume | undefined,
    private readonly context: PodAttemptContext,
  ) {
    this.podName = podNameFor(spec);
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.writer = AttemptLogWriter.open(spec.logFile, spec.attemptDir);
    const target = { namespace: context.namespace, podName: this.podName };
    this.logs = new PodLogFollower(context.client.log, target, this.writer, context.logger, context.logOptions);
  }

  /** Subscribes to the watch; call before the pod is created so no update is missed. */
  listen(): void {
    this.unsubscribe ??= this.context.watch.subscribe(this.podName, (update) => this.onUpdate(update));
  }

  /** Marks the pod as existing (created or found) and applies its latest known state. */
  confirmExists(pod: V1Pod | undefined): void {
    this.existsSince ??= Date.now();
    if (pod) this.onUpdate({ type: 'changed', pod });
  }

  /** Writes a `system` line to the attempt's log. */
  note(text: string): void {
    this.writer.appendSystem(text);
  }

  /** Stops listening without settling, because the pod was never created. */
  abandon(): void {
    this.release();
    this.phase = 'settled';
  }

  /** Stops following without settling or deleting anything; the pod keeps running for the next server. */
  detach(): void {
    this.release();
    this.logs.stop();
    this.writer.close();
  }

  /** Deletes the run's pods; `result` settles as cancelled once this attempt's pod is gone. */
  async cancel(): Promise<void> {
    if (this.phase !== 'active') return;
    this.phase = 'cancelling';
    this.clearProblem();
    // The log is still followed while the pod shuts down, so what the step prints on SIGTERM is kept.
    // The follow stream ends with the container, which the kubelet kills when the grace period ends.
    this.note(`cancel requested: deleting pod ${this.podName}`);

    this.goneTimer = setInterval(() => void this.checkGone(), this.context.goneCheckIntervalMs);
    try {
      await this.context.deleteRunPods(this.spec.runId);
    } catch (error) {
      this.context.logger?.error({ ...this.ids(), error: describeApiError(error).message }, 'deleting the run pods failed; deleting this pod by name');
      await this.deletePod();
    }
  }

  private onUpdate(update: PodUpdate): void {
    if (this.phase === 'settled' || this.phase === 'finishing') return;

    if (update.type === 'absent') {
      if (this.existsSince === undefined || update.listStartedAt < this.existsSince) return;
      this.onVanished(undefined);
      return;
    }
    if (update.type === 'deleted') {
      this.onVanished(update.pod);
      return;
    }

    this.lastPod = update.pod;
    this.existsSince ??= Date.now();
    if (this.phase === 'cancelling') {
      // Read the last lines while the pod still exists; it is removed right after its container ends.
      if (stepContainerStatus(update.pod)?.state?.terminated) void this.finishLogsAfterCancel();
      return;
    }

    const assessment = assessPod(update.pod);
    if (assessment.kind === 'ended') {
      // A pod that never started (an image running as root) is still Pending and must go whatever the policy.
      void this.finish(assessment.outcome, { podGone: false, podActive: !podHasEnded(update.pod) });
      return;
    }
    if (assessment.kind === 'problem') {
      this.onProblem(assessment.problem, assessment.reason, assessment.message);
      return;
    }
    if (assessment.kind === 'running') {
      this.clearProblem();
      if (!this.logsStarted) {
        this.logsStarted = true;
        this.logs.start();
      }
      if (!this.eventsCopied) {
        this.eventsCopied = true;
        void this.copyEvents();
      }
    }
  }

  private onVanished(pod: V1Pod | undefined): void {
    if (pod) this.lastPod = pod;
    if (this.phase === 'cancelling') {
      void this.settleCancelled();
      return;
    }
    void this.finish(outcomeOfVanishedPod(this.podName, pod ?? this.lastPod), { podGone: true, podActive: false });
  }

  /** Stores the lines the step wrote while shutting down, then settles as cancelled with the container's exit code. */
  private async settleCancelled(): Promise<void> {
    if (this.phase !== 'cancelling') return;
    this.phase = 'finishing';
    const noticedAt = new Date();
    await this.finishLogsAfterCancel();
    const exitCode = (this.lastPod && stepContainerStatus(this.lastPod)?.state?.terminated?.exitCode) ?? null;
    const message = `cancelled on request; pod ${this.podName} was deleted`;
    this.settle({ status: 'cancelled', exitCode, reason: 'Cancelled', message, outputs: {}, finishedAt: attemptEndTime(this.lastPod, noticedAt) });
  }

  private finishLogsAfterCancel(): Promise<void> {
    this.cancelLogs ??= this.logsStarted ? this.logs.finish() : Promise.resolve();
    return this.cancelLogs;
  }

  /** Starts (or continues) the grace period of a problem, and fails the attempt when it runs out. */
  private onProblem(kind: ProblemKind, reason: string, message: string): void {
    if (this.problem?.kind !== kind) {
      this.clearProblem();
      this.problem = { kind, since: Date.now(), reason, message };
      const graceMs = this.context.graceMs[kind];
      this.problemTimer = setTimeout(() => this.failProblem(), graceMs);
    }
    this.problem.reason = reason;
    this.problem.message = message;

    if (!this.problemsShown.has(reason)) {
      this.problemsShown.add(reason);
      this.note(`waiting: ${message}`);
      void this.copyEvents();
    }
  }

  private failProblem(): void {
    const problem = this.problem;
    if (!problem || this.phase !== 'active') return;
    const seconds = Math.round((Date.now() - problem.since) / 1000);
    const message = `${problem.message} (still failing after ${seconds} s)`;
    void this.finish({ status: 'failed', exitCode: null, reason: problem.reason, message, terminationMessage: null }, { podGone: false, podActive: true });
  }

  private clearProblem(): void {
    if (this.problemTimer) clearTimeout(this.problemTimer);
    this.problemTimer = undefined;
    this.problem = undefined;
  }

  /** Reads the last log lines and the events, turns the outcome into a result, applies the cleanup policy and settles. */
  private async finish(outcome: PodOutcome, ending: { podGone: boolean; podActive: boolean }): Promise<void> {
    if (this.phase !== 'active') return;
    this.phase = 'finishing';
    this.clearProblem();
    const noticedAt = new Date();

    try {
      const containerRan = this.lastPod !== undefined && stepContainerStatus(this.lastPod)?.state?.terminated !== undefined;
      if (this.logsStarted || (containerRan && !ending.podGone)) await this.logs.finish();
      const result = { ...this.resultOf(outcome), finishedAt: attemptEndTime(this.lastPod, noticedAt) };
      // A succeeded pod's events (scheduled, pulled, started) were copied when it started running;
      // a failure may add some (killing, eviction), so they are read again.
      if (!this.eventsCopied || result.status !== 'succeeded') await this.copyEvents();
      this.note(result.status === 'succeeded' ? `pod ${this.podName} succeeded` : `pod ${this.podName} failed (${result.reason}): ${result.message ?? ''}`);
      saveResult(this.spec.attemptDir, result);

      const keep = this.context.podCleanup === 'never' || (result.status === 'failed' && this.context.podCleanup === 'on-success');
      if (!ending.podGone && outcome.reason === 'NodeLost') {
        // No kubelet is left to confirm a graceful deletion, so only a forced one removes the pod.
        await this.deletePod(0);
      } else if (!ending.podGone && (ending.podActive || !keep)) {
        // A pod still waiting would go on pulling or waiting for a node beside the next attempt, so it goes whatever the policy.
        await this.deletePod();
      }
      this.settle(result);
    } catch (error) {
      const message = `could not record how pod ${this.podName} ended: ${error instanceof Error ? error.message : String(error)}`;
      this.context.logger?.error({ ...this.ids(), err: error }, 'finishing the attempt failed');
      this.settle({ status: 'failed', exitCode: outcome.exitCode, reason: 'Error', message, outputs: {} });
    }
  }

  private resultOf(outcome: PodOutcome): AttemptResult {
    const ended = { exitCode: outcome.exitCode, reason: outcome.reason, message: outcome.message };
    if (outcome.status === 'failed') return { ...ended, status: 'failed', outputs: {} };

    const collected = collectOutputs(this.spec.outputs, outcome.terminationMessage, { stepId: this.spec.stepId, attempt: this.spec.attempt, runVolume: this.runVolume });
    if (!collected.ok) return { ...ended, status: 'failed', reason: collected.reason, message: collected.message, outputs: collected.outputs };
    return { ...ended, status: 'succeeded', outputs: collected.outputs };
  }

  private async copyEvents(): Promise<void> {
    await copyPodEvents(this.context.client.core, { namespace: this.context.namespace, podName: this.podName }, this.writer, this.context.logger);
  }

  private async deletePod(gracePeriodSeconds?: number): Promise<void> {
    try {
      await this.context.client.core.deleteNamespacedPod({ namespace: this.context.namespace, name: this.podName, gracePeriodSeconds });
    } catch (error) {
      if (isNotFound(error)) return;
      this.context.logger?.warn({ ...this.ids(), error: describeApiError(error).message }, 'deleting the pod failed; it is deleted on the next server start');
    }
  }

  /** Reads the pod by name, as a backstop for a deletion the watch did not report. */
  private async checkGone(): Promise<void> {
    if (this.phase !== 'cancelling') return;
    try {
      await this.context.client.core.readNamespacedPod({ namespace: this.context.namespace, name: this.podName });
    } catch (error) {
      if (isNotFound(error)) this.onVanished(undefined);
    }
  }

  private settle(result: AttemptResult): void {
    if (this.phase === 'settled') return;
    this.phase = 'settled';
    this.release();
    this.logs.stop();
    this.resolveResult(result);
  }

  private release(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.clearProblem();
    if (this.goneTimer) clearInterval(this.goneTimer);
    this.goneTimer = undefined;
  }

  private ids(): Record<string, unknown> {
    return { runId: this.spec.runId, stepId: this.spec.stepId, attempt: this.spec.attempt, podName: this.podName };
  }
}
