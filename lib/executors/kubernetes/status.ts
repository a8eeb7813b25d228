/**
 * Reads what a pod's status means for its attempt. Pure: it looks at the phase, the pod's own
 * reason (Evicted, DeadlineExceeded, NodeLost) and the step container's waiting or terminated
 * state, because the phase alone is "Pending" for an image that will never pull and "Failed" for
 * every kind of failure.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

import { STEP_CONTAINER } from './pod-spec';

/** The end of a pod's attempt, before outputs are read. */
export interface PodOutcome {
  status: 'succeeded' | 'failed';
  exitCode: number | null;
  reason: string;
  message: string | null;
  /** The container's termination message: the value output's text, or the log tail after a failure. */
  terminationMessage: string | null;
}

/** The grace period a problem falls under. */
export type ProblemKind = 'image' | 'unschedulable';

export type PodAssessment =
  | { kind: 'pending' }
  | { kind: 'running' }
  /** Something that may clear up (an image pull, a secret created late); the attempt fails if it lasts past its grace period. */
  | { kind: 'problem'; problem: ProblemKind; reason: string; message: string }
  | { kind: 'ended'; outcome: PodOutcome };

/** Waiting reasons that fail the attempt once they outlast the image-error grace period. */
export const IMAGE_PROBLEM_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

/** Pod-level reasons of a Failed pod that explain more than its container's state. */
const POD_FAILURE_REASONS = new Set(['Evicted', 'DeadlineExceeded', 'NodeLost', 'NodeShutdown', 'Shutdown', 'Terminated', 'UnexpectedAdmissionError', 'Preempting']);

/** Text of the kubelet's messages when runAsNonRoot is set and the image's user is root or not a number. */
const RUNS_AS_ROOT_PATTERN = /runAsNonRoot and image (will run as root|has non-numeric user)/;

export function assessPod(pod: V1Pod): PodAssessment {
  const container = stepContainerStatus(pod);

  if (podHasEnded(pod)) return { kind: 'ended', outcome: outcomeOfEndedPod(pod, container) };
  if (isDeletedWithLostNode(pod)) {
    const message = `the node running pod ${pod.metadata?.name ?? '?'} stopped responding, and the pod is being deleted; its step did not finish`;
    return { kind: 'ended', outcome: failed('NodeLost', message) };
  }

  const waiting = container?.state?.waiting;
  if (waiting?.reason && IMAGE_PROBLEM_REASONS.has(waiting.reason)) {
    const message = waiting.message ?? waiting.reason;
    if (waiting.reason === 'CreateContainerConfigError' && RUNS_AS_ROOT_PATTERN.test(message)) {
      // The image's user does not change while the pod waits, so waiting out the grace period is pointless.
      return { kind: 'ended', outcome: failed('CreateContainerConfigError', runsAsRootMessage(pod, message)) };
    }
    return { kind: 'problem', problem: 'image', reason: waiting.reason, message: describeWaiting(pod, waiting.reason, message) };
  }

  if (container?.state?.running || container?.state?.terminated) return { kind: 'running' };

  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { kind: 'problem', problem: 'unschedulable', reason: 'Unschedulable', message: `the pod cannot be scheduled: ${scheduled.message ?? 'no node fits it'}` };
  }
  return { kind: 'pending' };
}

/**
 * Returns the outcome of a pod that disappeared before it ended: deleted by someone else, or
 * removed by the node lifecycle controller after its node was lost.
 */
export function outcomeOfVanishedPod(podName: string, lastSeen: V1Pod | undefined): PodOutcome {
  if (lastSeen?.status?.reason === 'NodeLost') {
    return failed('NodeLost', `pod ${podName} was removed because its node was lost: ${lastSeen.status.message ?? 'the node stopped responding'}`);
  }
  return failed('PodDeleted', `pod ${podName} was deleted before its step ended, outside Pipedeck or because its node was lost`);
}

/**
 * True for a pod the taint manager deletes because its node stopped reporting: no kubelet is left to
 * finish the deletion, so without this check the pod would stay Terminating and its step running.
 */
function isDeletedWithLostNode(pod: V1Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  const conditions = pod.status?.conditions ?? [];
  return conditions.some(
    (condition) =>
      (condition.type === 'DisruptionTarget' && condition.status === 'True' && condition.reason === 'DeletionByTaintManager') ||
      (condition.type === 'Ready' && condition.reason === 'NodeNotReady'),
  );
}

/**
 * Returns when the attempt ended (ISO-8601 UTC): from the step container's `terminated.finishedAt`,
 * else `noticedAt`. The kubelet keeps whole seconds, so the real end lies within the second after
 * that time. The last millisecond of that second (but not after `noticedAt`) is used, because it
 * never falls before the attempt's start as Pipedeck recorded it.
 */
export function attemptEndTime(pod: V1Pod | undefined, noticedAt: Date): string {
  // Pods read through the typed client carry a Date; pods from the watch carry the JSON string.
  const finishedAt: unknown = pod && stepContainerStatus(pod)?.state?.terminated?.finishedAt;
  let endedSecond = NaN;
  if (finishedAt instanceof Date) endedSecond = finishedAt.getTime();
  else if (typeof finishedAt === 'string') endedSecond = Date.parse(finishedAt);
  if (Number.isNaN(endedSecond)) return noticedAt.toISOString();
  return new Date(Math.min(noticedAt.getTime(), Math.floor(endedSecond / 1000) * 1000 + 999)).toISOString();
}

/** Returns true once the pod's phase is final (Succeeded or Failed); pods that never started are not. */
export function podHasEnded(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Finds the status of the step's container by name. */
export function stepContainerStatus(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((status) => status.name === STEP_CONTAINER);
}

function outcomeOfEndedPod(pod: V1Pod, container: V1ContainerStatus | undefined): PodOutcome {
  const terminated = container?.state?.terminated;
  const podReason = pod.status?.reason;
  const exitCode = terminated?.exitCode ?? null;
  const terminationMessage = terminated?.message ?? null;

  if (pod.status?.phase === 'Succeeded') {
    return { status: 'succeeded', exitCode: exitCode ?? 0, reason: 'Completed', message: null, terminationMessage };
  }

  if (podReason === 'DeadlineExceeded') {
    const limit = pod.spec?.activeDeadlineSeconds;
    const message = limit !== undefined ? `timed out: the step ran longer than its limit of ${limit} s` : `timed out: ${pod.status?.message ?? 'the pod passed its active deadline'}`;
    return { ...failed('DeadlineExceeded', message), exitCode, terminationMessage };
  }
  if (podReason && POD_FAILURE_REASONS.has(podReason)) {
    return { ...failed(podReason, pod.status?.message ?? `the pod failed: ${podReason}`), exitCode, terminationMessage };
  }
  if (pod.metadata?.deletionTimestamp) {
    const exit = exitCode !== null ? ` (exit code ${exitCode})` : '';
    return { ...failed('PodDeleted', `pod ${pod.metadata.name ?? '?'} was deleted while its step ran${exit}, outside Pipedeck`), exitCode, terminationMessage };
  }

  if (!terminated) {
    return failed(podReason ?? 'Error', pod.status?.message ?? 'the pod failed before its container ran');
  }

  if (terminated.reason === 'OOMKilled') {
    const limit = pod.spec?.containers.find((candidate) => candidate.name === STEP_CONTAINER)?.resources?.limits?.memory;
    const message = `ran out of memory${limit ? ` (limit ${limit})` : ''} and was killed (exit code ${terminated.exitCode})`;
    return { status: 'failed', exitCode, reason: 'OOMKilled', message, terminationMessage };
  }
  if (terminated.reason === 'StartError' || terminated.reason === 'ContainerCannotRun') {
    const detail = terminated.message ?? terminated.reason;
    const reason = /executable file not found|no such file or directory/.test(detail) ? 'ProgramNotFound' : terminated.reason;
    return { status: 'failed', exitCode, reason, message: `the container could not start: ${detail}`, terminationMessage: null };
  }

  return { status: 'failed', exitCode, reason: 'Error', message: describeExit(terminated.exitCode, terminationMessage), terminationMessage };
}

function describeExit(exitCode: number, terminationMessage: string | null): string {
  const signals: Record<number, string> = { 137: 'SIGKILL', 143: 'SIGTERM' };
  const signal = signals[exitCode];
  const base = signal ? `killed by ${signal} (exit code ${exitCode})` : `exited with code ${exitCode}`;

  const lastLine = terminationMessage?.trim().split('\n').at(-1)?.trim();
  if (!lastLine) return base;
  return `${base}: ${lastLine.length > 300 ? `${lastLine.slice(0, 300)}…` : lastLine}`;
}

function describeWaiting(pod: V1Pod, reason: string, message: string): string {
  const image = pod.spec?.containers.find((candidate) => candidate.name === STEP_CONTAINER)?.image ?? '?';
  if (reason === 'CreateContainerConfigError' || reason === 'CreateContainerError') return `the container could not be created: ${message}`;
  return `image ${image} cannot be pulled (${reason}): ${message}`;
}

function runsAsRootMessage(pod: V1Pod, kubeletMessage: string): string {
  const image = pod.spec?.containers.find((candidate) => candidate.name === STEP_CONTAINER)?.image ?? 'the image';
  const nonNumeric = kubeletMessage.includes('non-numeric user');
  const problem = nonNumeric
    ? `image ${image} names its user by name, so Kubernetes cannot check that it is not root`
    : `image ${image} runs as root, which Pipedeck's default security settings do not allow`;
  return `${problem}; set \`security.runAsUser\` on the step to a non-zero user id the image can run as, or set \`security.runAsNonRoot: false\` to allow root`;
}

function failed(reason: string, message: string): PodOutcome {
  return { status: 'failed', exitCode: null, reason, message, terminationMessage: null };
}
