/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * The kubelet's bookkeeping of the pods on its node: per-container processes and logs, timers,
 * graceful deletion, pod-level failures (Evicted, DeadlineExceeded) and the faults that hit a
 * running pod (OOM kill, eviction, node loss). kubelet.ts adds the pod startup sequence.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

import { formatSeconds } from './clock';
import { signalGroup } from './container-process';
import type { EventRecorder, PodEvent } from './event-recorder';
import type { FaultInjector, PodFaultKind } from './faults';
import { LogBuffer } from './log-buffer';
import { failPod, setCondition, setContainerState, updatePhase } from './pod-status';
import type { ResourceStore } from './resource-store';
import type { Container, PodObject } from './types';

export interface ContainerRuntime {
  spec: Container;
  logs: LogBuffer;
  /** Host file that stands for the container's terminationMessagePath. */
  terminationFile: string;
  process?: ChildProcess;
  startedAt?: string;
  /** The process has ended (or will never start, because the pod failed or is being deleted). */
  done: boolean;
  /** Why the kubelet killed the process, which decides the terminated reason. */
  killedFor?: string;
  /** Message of an injected CreateContainerConfigError, kept so retries fail the same way. */
  configFault?: string;
}

export interface PodRuntime {
  namespace: string;
  name: string;
  uid: string;
  /** Temporary directory of the pod: rootfs, emptyDir volumes, termination message files. */
  dir: string;
  containers: Map<string, ContainerRuntime>;
  timers: Set<NodeJS.Timeout>;
  /** Deletion was requested: containers are being stopped and the pod is removed when they are. */
  terminating: boolean;
  /** The node was lost: nothing about the pod is reported any more and its logs cannot be read. */
  nodeLost: boolean;
  /** Runtime faults already armed for this pod, so each hits it once. */
  armedFaults: Set<PodFaultKind>;
  /** A pod-level failure (Evicted, DeadlineExceeded) that decides the final status. */
  failure?: { reason: string; message: string };
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class KubeletRuntime {
  protected readonly runtimes = new Map<string, PodRuntime>();

  constructor(
    protected readonly podStore: ResourceStore<PodObject>,
    protected readonly recorder: EventRecorder,
    protected readonly faultInjector: FaultInjector,
  ) {}

  /** Returns the log of one container of a pod on this node, while the pod exists. */
  logs(namespace: string, name: string, containerName: string): LogBuffer | undefined {
    return this.runtimes.get(keyOf(namespace, name))?.containers.get(containerName)?.logs;
  }

  /** Reports whether the pod's node was lost, so the API server cannot reach its kubelet. */
  isNodeLost(namespace: string, name: string): boolean {
    return this.runtimes.get(keyOf(namespace, name))?.nodeLost ?? false;
  }

  /**
   * Stops the pod's containers after the API server set its deletionTimestamp: SIGTERM to each
   * process group, SIGKILL after the grace period, then removes the pod object.
   */
  requestDeletion(pod: PodObject): void {
    const runtime = this.runtimes.get(keyOf(pod.metadata.namespace, pod.metadata.name));
    if (!runtime || runtime.uid !== pod.metadata.uid || runtime.nodeLost) return;

    runtime.terminating = true;
    this.stopContainers(runtime, 'Deleted', 'SIGTERM', pod.metadata.deletionGracePeriodSeconds ?? 30);
    this.completeIfDone(runtime);
  }

  /** Drops a pod whose object is gone: kills what still runs and discards its logs and files. */
  forget(namespace: string, name: string): void {
    const runtime = this.runtimes.get(keyOf(namespace, name));
    if (!runtime) return;

    this.runtimes.delete(keyOf(namespace, name));
    this.halt(runtime);
    fs.rm(runtime.dir, { recursive: true, force: true }, () => {});
  }

  /** Arms newly added runtime faults on pods whose containers already run. */
  armRuntimeFaultsOnRunningPods(): void {
    for (const runtime of this.runtimes.values()) {
      if ([...runtime.containers.values()].some((container) => container.startedAt && !container.done)) {
        this.armRuntimeFaults(runtime);
      }
    }
  }

  /** Kills every process and drops every pod, when the stand-in stops. */
  stop(): void {
    for (const runtime of [...this.runtimes.values()]) this.forget(runtime.namespace, runtime.name);
  }

  protected track(pod: PodObject, dir: string): PodRuntime {
    const runtime: PodRuntime = {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      dir,
      containers: new Map(),
      timers: new Set(),
      terminating: false,
      nodeLost: false,
      armedFaults: new Set(),
    };
    for (const container of pod.spec.containers) {
      const terminationFile = `${dir}/termination-log-${container.name}`;
      fs.writeFileSync(terminationFile, '');
      runtime.containers.set(container.name, { spec: container, logs: new LogBuffer(), terminationFile, done: false });
    }
    this.runtimes.set(keyOf(runtime.namespace, runtime.name), runtime);
    return runtime;
  }

  protected later(runtime: PodRuntime, delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      runtime.timers.delete(timer);
      action();
    }, delayMs);
    runtime.timers.add(timer);
  }

  /** Returns the stored pod while the kubelet still drives it: not failed, not being deleted, node not lost. */
  protected current(runtime: PodRuntime): PodObject | undefined {
    if (runtime.nodeLost || runtime.terminating || runtime.failure) return undefined;
    const pod = this.podStore.get(runtime.namespace, runtime.name);
    return pod?.metadata.uid === runtime.uid ? pod : undefined;
  }

  protected updatePod(runtime: PodRuntime, mutate: (pod: PodObject) => void): void {
    if (runtime.nodeLost) return;
    const pod = this.podStore.get(runtime.namespace, runtime.name);
    if (pod?.metadata.uid !== runtime.uid) return;
    this.podStore.update(runtime.namespace, runtime.name, mutate);
  }

  protected recordEvent(runtime: PodRuntime, event: PodEvent): void {
    const pod = this.podStore.get(runtime.namespace, runtime.name);
    if (pod?.metadata.uid === runtime.uid && !runtime.nodeLost) this.recorder.record(pod, event);
  }

  protected setWaiting(runtime: PodRuntime, container: ContainerRuntime, reason: string, message: string): void {
    if (container.done || !this.current(runtime)) return;
    this.updatePod(runtime, (pod) => {
      setContainerState(pod, container.spec.name, { waiting: { reason, message } });
      updatePhase(pod);
    });
  }

  /**
   * Applies `change` (a container state) together with the pod phase in one status update, as the
   * kubelet does. Once no container runs any more it removes a terminating pod, or else reports
   * the final phase, with the pod-level failure if there is one.
   */
  protected completeIfDone(runtime: PodRuntime, change?: (pod: PodObject) => void): void {
    if (this.runtimes.get(keyOf(runtime.namespace, runtime.name)) !== runtime) return;
    const allDone = [...runtime.containers.values()].every((container) => container.done);

    if (allDone && runtime.terminating) {
      if (change) this.updatePod(runtime, change);
      if (this.podStore.get(runtime.namespace, runtime.name)?.metadata.uid === runtime.uid) {
        this.podStore.remove(runtime.namespace, runtime.name);
      }
      this.forget(runtime.namespace, runtime.name);
      return;
    }
    if (allDone) this.clearTimers(runtime);
    this.updatePod(runtime, (pod) => {
      change?.(pod);
      if (allDone && runtime.failure) failPod(pod, runtime.failure.reason, runtime.failure.message);
      else updatePhase(pod);
    });
  }

  /** Fails the whole pod with a pod-level reason and stops its containers with `signal`. */
  protected failWithReason(runtime: PodRuntime, reason: string, message: string, signal: NodeJS.Signals): void {
    const pod = this.podStore.get(runtime.namespace, runtime.name);
    runtime.failure ??= { reason, message };
    this.stopContainers(runtime, reason, signal, pod?.spec.terminationGracePeriodSeconds ?? 30);
    this.completeIfDone(runtime);
  }

  protected armRuntimeFaults(runtime: PodRuntime): void {
    const pod = this.current(runtime);
    if (!pod) return;

    const oomKill = this.takeOnce(runtime, 'oomKill', pod);
    if (oomKill) this.later(runtime, oomKill.afterMs, () => this.killForOom(runtime));
    const evict = this.takeOnce(runtime, 'evict', pod);
    if (evict) this.later(runtime, evict.afterMs, () => this.evict(runtime, evict.message));
    const nodeLost = this.takeOnce(runtime, 'nodeLost', pod);
    if (nodeLost) this.later(runtime, nodeLost.afterMs, () => this.loseNode(runtime, nodeLost.podObject));
  }

  private takeOnce<K extends 'oomKill' | 'evict' | 'nodeLost'>(runtime: PodRuntime, kind: K, pod: PodObject) {
    if (runtime.armedFaults.has(kind)) return undefined;
    const fault = this.faultInjector.takePodFault(kind, pod);
    if (fault) runtime.armedFaults.add(kind);
    return fault;
  }

  private killForOom(runtime: PodRuntime): void {
    if (!this.current(runtime)) return;
    const container = [...runtime.containers.values()].find((candidate) => candidate.process && !candidate.done);
    if (!container) return;

    container.killedFor = 'OOMKilled';
    const pid = container.process?.pid;
    const program = container.spec.command?.[0] ?? container.spec.args?.[0] ?? '';
    this.recordEvent(runtime, {
      reason: 'OOMKilling',
      message: `Memory cgroup out of memory: Killed process ${pid} (${program.split('/').pop()})`,
      type: 'Warning',
      source: 'kernel-monitor',
    });
    signalGroup(pid, 'SIGKILL');
  }

  private evict(runtime: PodRuntime, message: string): void {
    if (!this.current(runtime)) return;
    this.recordEvent(runtime, { reason: 'Evicted', message, type: 'Warning' });
    this.updatePod(runtime, (pod) => setCondition(pod, 'DisruptionTarget', 'True', 'TerminationByKubelet', message));
    this.failWithReason(runtime, 'Evicted', message, 'SIGKILL');
  }

  private loseNode(runtime: PodRuntime, podObject: 'deleted' | 'terminating'): void {
    if (!this.current(runtime)) return;
    if (podObject === 'deleted') {
      runtime.nodeLost = true;
      this.halt(runtime);
      this.podStore.remove(runtime.namespace, runtime.name);
      this.forget(runtime.namespace, runtime.name);
      return;
    }

    // The taint manager deletes the pod, but no kubelet is left to confirm it, so it stays Terminating.
    this.podStore.update(runtime.namespace, runtime.name, (pod) => {
      pod.metadata.deletionTimestamp = formatSeconds();
      pod.metadata.deletionGracePeriodSeconds = 30;
      setCondition(pod, 'Ready', 'False', 'NodeNotReady');
      setCondition(pod, 'DisruptionTarget', 'True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint');
    });
    runtime.nodeLost = true;
    this.halt(runtime);
  }

  /** Signals every running container, or marks a container that never started as done. */
  private stopContainers(runtime: PodRuntime, killedFor: string, signal: NodeJS.Signals, graceSeconds: number): void {
    for (const container of runtime.containers.values()) {
      if (container.done) continue;
      const pid = container.process?.pid;
      if (pid === undefined) {
        container.done = true;
        container.logs.end();
        continue;
      }
      container.killedFor ??= killedFor;
      this.recordEvent(runtime, { reason: 'Killing', message: `Stopping container ${container.spec.name}`, fieldPath: `spec.containers{${container.spec.name}}` });
      signalGroup(pid, signal);
      if (signal !== 'SIGKILL') this.later(runtime, graceSeconds * 1000, () => signalGroup(pid, 'SIGKILL'));
    }
  }

  /** Stops timers and kills every process group without reporting anything. */
  private halt(runtime: PodRuntime): void {
    this.clearTimers(runtime);
    for (const container of runtime.containers.values()) {
      if (!container.done) signalGroup(container.process?.pid, 'SIGKILL');
      container.done = true;
    }
  }

  private clearTimers(runtime: PodRuntime): void {
    for (const timer of runtime.timers) clearTimeout(timer);
    runtime.timers.clear();
  }
}

