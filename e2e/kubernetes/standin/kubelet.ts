/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * A small kubelet and scheduler for one node. It schedules each new pod after a short delay,
 * "pulls" the image, checks the container config and runs each container's command as a real
 * local process (see container-process.ts). It reports Pending → Running → Succeeded/Failed with
 * the container states and events a real node reports. It honours activeDeadlineSeconds, graceful
 * deletion (SIGTERM to the process group, SIGKILL after the grace period) and injected faults.
 * NOTE: restartPolicy Always and OnFailure behave like Never: a container is never restarted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { formatSeconds } from './clock';
import { checkRunAsNonRoot, isValidImageReference, resolveContainerEnv, type SecretStore } from './container-config';
import { startContainerProcess } from './container-process';
import { NODE_NAME, type EventRecorder } from './event-recorder';
import type { FaultInjector } from './faults';
import { containerArgv, containerEnv, containerPathMappings, containerWorkingDir, readTerminationMessage } from './kubelet-paths';
import { KubeletRuntime, type ContainerRuntime, type PodRuntime } from './kubelet-runtime';
import { initialContainerStatuses, setCondition, setContainerState, updatePhase } from './pod-status';
import type { ResourceStore } from './resource-store';
import { unschedulableMessage, type NodeCapacity } from './scheduling';
import type { Container, PodObject } from './types';

export interface KubeletOptions {
  /** Time from create to scheduled. */
  schedulingDelayMs: number;
  /** Time an image pull takes. */
  pullDelayMs: number;
  /** Time between ErrImagePull and ImagePullBackOff, and between retries of a container config error. */
  retryDelayMs: number;
  nodeCapacity: NodeCapacity;
}

export interface KubeletDependencies {
  pods: ResourceStore<PodObject>;
  recorder: EventRecorder;
  faults: FaultInjector;
  secrets: SecretStore;
  /** Host directory of a bound claim, or undefined when the claim does not exist. */
  claimDirectory(namespace: string, name: string): string | undefined;
  rootDir: string;
  options: KubeletOptions;
}

const CONTAINER_START_ERROR = (program: string) =>
  `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${program}": executable file not found in $PATH: unknown`;

export class Kubelet extends KubeletRuntime {
  constructor(private readonly deps: KubeletDependencies) {
    super(deps.pods, deps.recorder, deps.faults);
  }

  /** Takes a newly created pod: schedules it after the scheduling delay. */
  admit(pod: PodObject): void {
    const dir = fs.mkdtempSync(path.join(this.deps.rootDir, `${pod.metadata.name.slice(0, 40)}-`));
    const runtime = this.track(pod, dir);
    this.later(runtime, this.deps.options.schedulingDelayMs, () => this.schedule(runtime));
  }

  private schedule(runtime: PodRuntime): void {
    const pod = this.current(runtime);
    if (!pod || pod.metadata.deletionTimestamp) return;

    const unschedulable = this.deps.faults.takePodFault('unschedulable', pod)?.message ?? this.fitProblem(pod);
    if (unschedulable) {
      this.updatePod(runtime, (stored) => setCondition(stored, 'PodScheduled', 'False', 'Unschedulable', unschedulable));
      this.recordEvent(runtime, { reason: 'FailedScheduling', message: unschedulable, type: 'Warning', source: 'default-scheduler' });
      return;
    }

    this.updatePod(runtime, (stored) => {
      stored.spec.nodeName = NODE_NAME;
      stored.status.hostIP = '127.0.0.1';
      stored.status.podIP = `10.244.0.${2 + (randomBytes(1)[0] ?? 0) % 250}`;
      stored.status.startTime = formatSeconds();
      setCondition(stored, 'PodReadyToStartContainers', 'True');
      setCondition(stored, 'Initialized', 'True');
      setCondition(stored, 'PodScheduled', 'True');
      stored.status.containerStatuses = initialContainerStatuses(stored, 'ContainerCreating');
      updatePhase(stored);
    });
    const message = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${NODE_NAME}`;
    this.recordEvent(runtime, { reason: 'Scheduled', message, source: 'default-scheduler' });

    const deadline = pod.spec.activeDeadlineSeconds;
    if (deadline !== undefined) this.later(runtime, deadline * 1000, () => this.exceedDeadline(runtime));

    for (const container of runtime.containers.values()) this.pull(runtime, container);
  }

  private fitProblem(pod: PodObject): string | undefined {
    for (const volume of pod.spec.volumes ?? []) {
      const claimName = volume.persistentVolumeClaim?.claimName;
      if (claimName && !this.deps.claimDirectory(pod.metadata.namespace, claimName)) {
        return `0/1 nodes are available: persistentvolumeclaim "${claimName}" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`;
      }
    }
    return unschedulableMessage(pod, this.deps.options.nodeCapacity);
  }

  private pull(runtime: PodRuntime, container: ContainerRuntime): void {
    const pod = this.current(runtime);
    if (!pod) return;
    const image = container.spec.image ?? '';
    const fieldPath = `spec.containers{${container.spec.name}}`;

    if (!isValidImageReference(image) || this.deps.faults.takePodFault('invalidImageName', pod)) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      this.setWaiting(runtime, container, 'InvalidImageName', message);
      this.recordEvent(runtime, { reason: 'InspectFailed', message, type: 'Warning', fieldPath });
      this.recordEvent(runtime, { reason: 'Failed', message: 'Error: InvalidImageName', type: 'Warning', fieldPath });
      return;
    }

    this.recordEvent(runtime, { reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath });
    const pullFault = this.deps.faults.takePodFault('imagePull', pod);
    const slowStart = this.deps.faults.takePodFault('slowStart', pod);
    const delay = this.deps.options.pullDelayMs + (slowStart?.delayMs ?? 0);

    this.later(runtime, delay, () => {
      if (pullFault) {
        this.failPull(runtime, container, pullFault.reason);
        return;
      }
      const took = `${delay}ms`;
      const message = `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: 4269376 bytes.`;
      this.recordEvent(runtime, { reason: 'Pulled', message, fieldPath });
      this.configure(runtime, container);
    });
  }

  private failPull(runtime: PodRuntime, container: ContainerRuntime, reason: 'ErrImagePull' | 'ImagePullBackOff'): void {
    const image = container.spec.image ?? '';
    const fieldPath = `spec.containers{${container.spec.name}}`;
    const pullError = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`;
    this.setWaiting(runtime, container, 'ErrImagePull', pullError);
    this.recordEvent(runtime, { reason: 'Failed', message: `Failed to pull image "${image}": ${pullError}`, type: 'Warning', fieldPath });
    this.recordEvent(runtime, { reason: 'Failed', message: 'Error: ErrImagePull', type: 'Warning', fieldPath });
    if (reason === 'ErrImagePull') return;

    this.later(runtime, this.deps.options.retryDelayMs, () => {
      const backOff = `Back-off pulling image "${image}"`;
      this.setWaiting(runtime, container, 'ImagePullBackOff', backOff);
      this.recordEvent(runtime, { reason: 'BackOff', message: backOff, fieldPath });
      this.recordEvent(runtime, { reason: 'Failed', message: 'Error: ImagePullBackOff', type: 'Warning', fieldPath });
    });
  }

  /** Resolves env and checks the security context; a problem is retried, as the kubelet retries it. */
  private configure(runtime: PodRuntime, container: ContainerRuntime): void {
    const pod = this.current(runtime);
    if (!pod || pod.metadata.deletionTimestamp) return;

    const spec = container.spec;
    const resolved = resolveContainerEnv(pod, spec, this.deps.secrets);
    const problem =
      ('error' in resolved ? resolved.error : undefined) ??
      checkRunAsNonRoot(pod, spec, this.deps.faults.imageUser(spec.image ?? '')) ??
      (container.configFault ??= this.deps.faults.takePodFault('createContainerConfigError', pod)?.message);
    if (problem !== undefined) {
      this.setWaiting(runtime, container, 'CreateContainerConfigError', problem);
      this.recordEvent(runtime, { reason: 'Failed', message: `Error: ${problem}`, type: 'Warning', fieldPath: `spec.containers{${spec.name}}` });
      this.later(runtime, this.deps.options.retryDelayMs, () => this.configure(runtime, container));
      return;
    }
    if ('env' in resolved) this.run(runtime, container, pod, resolved.env);
  }

  private run(runtime: PodRuntime, container: ContainerRuntime, pod: PodObject, env: Record<string, string>): void {
    const spec: Container = container.spec;
    const fieldPath = `spec.containers{${spec.name}}`;
    const mappings = containerPathMappings(pod, spec, runtime, (name) => this.deps.claimDirectory(pod.metadata.namespace, name));
    const argv = containerArgv(spec, env, mappings);
    const containerID = `containerd://${randomBytes(32).toString('hex')}`;

    this.recordEvent(runtime, { reason: 'Created', message: `Created container: ${spec.name}`, fieldPath });
    container.process = startContainerProcess({
      argv,
      env: containerEnv(env, mappings),
      cwd: containerWorkingDir(spec, mappings, runtime),
      logs: container.logs,
      onStarted: () => {
        container.startedAt = formatSeconds();
        this.recordEvent(runtime, { reason: 'Started', message: `Started container ${spec.name}`, fieldPath });
        this.updatePod(runtime, (stored) => {
          setContainerState(stored, spec.name, { running: { startedAt: container.startedAt as string } }, containerID);
          updatePhase(stored);
        });
        this.armRuntimeFaults(runtime);
      },
      onExit: ({ exitCode }) => {
        container.done = true;
        container.logs.end();
        const killedFor = container.killedFor;
        const reason = killedFor === 'OOMKilled' ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
        const message = readTerminationMessage(spec, container, exitCode);
        const finishedAt = formatSeconds();
        const terminated = {
          exitCode: killedFor === 'OOMKilled' ? 137 : exitCode,
          reason,
          ...(message ? { message } : {}),
          startedAt: container.startedAt ?? finishedAt,
          finishedAt,
          containerID,
        };
        this.completeIfDone(runtime, (stored) => setContainerState(stored, spec.name, { terminated }));
      },
      onStartError: (error) => {
        container.done = true;
        container.logs.end();
        const message = error.code === 'ENOENT' ? CONTAINER_START_ERROR(argv[0] ?? '') : `failed to start container: ${error.message}`;
        this.recordEvent(runtime, { reason: 'Failed', message: `Error: ${message}`, type: 'Warning', fieldPath });
        const now = formatSeconds();
        const terminated = { exitCode: 128, reason: 'StartError', message, startedAt: null, finishedAt: now, containerID };
        this.completeIfDone(runtime, (stored) => setContainerState(stored, spec.name, { terminated }));
      },
    });
  }

  private exceedDeadline(runtime: PodRuntime): void {
    const pod = this.current(runtime);
    if (!pod || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.recordEvent(runtime, { reason: 'DeadlineExceeded', message, type: 'Warning' });
    this.failWithReason(runtime, 'DeadlineExceeded', message, 'SIGTERM');
  }
}

