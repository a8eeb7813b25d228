/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Helpers that move a pod's status the way the kubelet reports it: container states, the pod
 * phase computed from them, and the pod conditions.
 */
import { formatSeconds } from './clock';
import type { ContainerState, ContainerStatus, PodCondition, PodObject } from './types';

export function setCondition(pod: PodObject, type: string, status: PodCondition['status'], reason?: string, message?: string): void {
  const conditions = (pod.status.conditions ??= []);
  const existing = conditions.find((condition) => condition.type === type);
  const now = formatSeconds();
  const next: PodCondition = {
    type,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    lastProbeTime: null,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now,
  };
  if (existing) conditions.splice(conditions.indexOf(existing), 1, next);
  else conditions.push(next);
}

/** Container statuses in spec order, all waiting with `reason`. */
export function initialContainerStatuses(pod: PodObject, reason: string): ContainerStatus[] {
  return pod.spec.containers.map((container) => ({
    name: container.name,
    state: { waiting: { reason } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: container.image ?? '',
    imageID: '',
    started: false,
  }));
}

/** Replaces one container's state; `running` marks it started and ready, as with no probes. */
export function setContainerState(pod: PodObject, name: string, state: ContainerState, containerID?: string): void {
  const status = pod.status.containerStatuses?.find((candidate) => candidate.name === name);
  if (!status) return;
  status.state = state;
  status.ready = state.running !== undefined;
  status.started = state.running !== undefined;
  if (containerID) status.containerID = containerID;
  if (state.running || state.terminated) status.imageID = `sha256:${"0".repeat(64)}`;
}

/**
 * Sets phase and the Ready conditions from the container states: Pending while any container
 * waits and none ran, Running while one runs, then Succeeded (all exit 0) or Failed.
 */
export function updatePhase(pod: PodObject): void {
  const statuses = pod.status.containerStatuses ?? [];
  const terminated = statuses.filter((status) => status.state.terminated);
  const running = statuses.filter((status) => status.state.running);

  if (statuses.length > 0 && terminated.length === statuses.length) {
    const succeeded = terminated.every((status) => status.state.terminated?.exitCode === 0);
    pod.status.phase = succeeded ? 'Succeeded' : 'Failed';
    const reason = succeeded ? 'PodCompleted' : 'PodFailed';
    setCondition(pod, 'Ready', 'False', reason);
    setCondition(pod, 'ContainersReady', 'False', reason);
    return;
  }

  if (running.length + terminated.length > 0) pod.status.phase = 'Running';
  const allReady = statuses.length > 0 && running.length === statuses.length;
  const notReady = statuses.filter((status) => !status.state.running).map((status) => status.name);
  const message = allReady ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  setCondition(pod, 'Ready', allReady ? 'True' : 'False', allReady ? undefined : 'ContainersNotReady', message);
  setCondition(pod, 'ContainersReady', allReady ? 'True' : 'False', allReady ? undefined : 'ContainersNotReady', message);
}

/** Ends the pod as Failed with a pod-level reason (Evicted, DeadlineExceeded), whatever the containers did. */
export function failPod(pod: PodObject, reason: string, message: string): void {
  pod.status.phase = 'Failed';
  pod.status.reason = reason;
  pod.status.message = message;
  setCondition(pod, 'Ready', 'False', 'PodFailed');
  setCondition(pod, 'ContainersReady', 'False', 'PodFailed');
}
