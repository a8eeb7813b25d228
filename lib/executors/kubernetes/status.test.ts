import type { V1ContainerState, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { assessPod, attemptEndTime, outcomeOfVanishedPod } from './status';

function makePod(options: {
  phase: string;
  state?: V1ContainerState;
  reason?: string;
  message?: string;
  conditions?: V1PodCondition[];
  memoryLimit?: string;
  activeDeadlineSeconds?: number;
}): V1Pod {
  return {
    metadata: { name: 'pod-1' },
    spec: {
      activeDeadlineSeconds: options.activeDeadlineSeconds,
      containers: [{ name: 'main', image: 'busybox:1.36', resources: options.memoryLimit ? { limits: { memory: options.memoryLimit } } : undefined }],
    },
    status: {
      phase: options.phase,
      reason: options.reason,
      message: options.message,
      conditions: options.conditions,
      containerStatuses: options.state ? [{ name: 'main', image: 'busybox:1.36', imageID: '', ready: false, restartCount: 0, state: options.state }] : undefined,
    },
  };
}

describe('assessPod', () => {
  it('is pending while the container is created', () => {
    expect(assessPod(makePod({ phase: 'Pending', state: { waiting: { reason: 'ContainerCreating' } } }))).toEqual({ kind: 'pending' });
  });

  it('is pending without any status yet', () => {
    expect(assessPod({ metadata: { name: 'p' } })).toEqual({ kind: 'pending' });
  });

  it('is running once the container runs', () => {
    expect(assessPod(makePod({ phase: 'Running', state: { running: {} } }))).toEqual({ kind: 'running' });
  });

  it('reports image pull errors as image problems', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']) {
      const pod = makePod({ phase: 'Pending', state: { waiting: { reason, message: 'pull access denied' } } });
      expect(assessPod(pod)).toEqual({
        kind: 'problem',
        problem: 'image',
        reason,
        message: `image busybox:1.36 cannot be pulled (${reason}): pull access denied`,
      });
    }
  });

  it('reports a container config error as an image problem', () => {
    const pod = makePod({ phase: 'Pending', state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "api-keys" not found' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'problem',
      problem: 'image',
      reason: 'CreateContainerConfigError',
      message: 'the container could not be created: secret "api-keys" not found',
    });
  });

  it('fails at once when the image runs as root', () => {
    const message = 'container has runAsNonRoot and image will run as root (pod: "ml/pod-1_ml(uid)", container: main)';
    const pod = makePod({ phase: 'Pending', state: { waiting: { reason: 'CreateContainerConfigError', message } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: {
        status: 'failed',
        exitCode: null,
        reason: 'CreateContainerConfigError',
        message:
          "image busybox:1.36 runs as root, which Pipedeck's default security settings do not allow; set `security.runAsUser` on the step to a non-zero user id the image can run as, or set `security.runAsNonRoot: false` to allow root",
        terminationMessage: null,
      },
    });
  });

  it('explains an image user given by name', () => {
    const message = 'container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root';
    const assessment = assessPod(makePod({ phase: 'Pending', state: { waiting: { reason: 'CreateContainerConfigError', message } } }));
    expect(assessment).toMatchObject({ kind: 'ended', outcome: { reason: 'CreateContainerConfigError', message: expect.stringContaining('names its user by name') } });
  });

  it('reports an unschedulable pod', () => {
    const conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }];
    expect(assessPod(makePod({ phase: 'Pending', conditions }))).toEqual({
      kind: 'problem',
      problem: 'unschedulable',
      reason: 'Unschedulable',
      message: 'the pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.',
    });
  });

  it('ends succeeded with the termination message', () => {
    const pod = makePod({ phase: 'Succeeded', state: { terminated: { exitCode: 0, reason: 'Completed', message: '0.93\n' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'succeeded', exitCode: 0, reason: 'Completed', message: null, terminationMessage: '0.93\n' },
    });
  });

  it('reports a non-zero exit with the last line of the log tail', () => {
    const pod = makePod({ phase: 'Failed', state: { terminated: { exitCode: 3, reason: 'Error', message: 'step 1\nValueError: bad input\n' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: 3, reason: 'Error', message: 'exited with code 3: ValueError: bad input', terminationMessage: 'step 1\nValueError: bad input\n' },
    });
  });

  it('reports OOMKilled with the memory limit', () => {
    const pod = makePod({ phase: 'Failed', memoryLimit: '64Mi', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: 137, reason: 'OOMKilled', message: 'ran out of memory (limit 64Mi) and was killed (exit code 137)', terminationMessage: null },
    });
  });

  it('reports exit 137 without OOMKilled as SIGKILL', () => {
    const pod = makePod({ phase: 'Failed', state: { terminated: { exitCode: 137, reason: 'Error' } } });
    expect(assessPod(pod)).toMatchObject({ kind: 'ended', outcome: { reason: 'Error', message: 'killed by SIGKILL (exit code 137)' } });
  });

  it('reports an eviction with the kubelet message', () => {
    const message = 'The node was low on resource: memory.';
    const pod = makePod({ phase: 'Failed', reason: 'Evicted', message, state: { terminated: { exitCode: 137, reason: 'Error' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: 137, reason: 'Evicted', message, terminationMessage: null },
    });
  });

  it('reports an eviction before the container ran', () => {
    const pod = makePod({ phase: 'Failed', reason: 'Evicted', message: 'low on disk' });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: null, reason: 'Evicted', message: 'low on disk', terminationMessage: null },
    });
  });

  it('reports DeadlineExceeded with the limit', () => {
    const pod = makePod({ phase: 'Failed', reason: 'DeadlineExceeded', activeDeadlineSeconds: 30, state: { terminated: { exitCode: 137, reason: 'Error' } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: 137, reason: 'DeadlineExceeded', message: 'timed out: the step ran longer than its limit of 30 s', terminationMessage: null },
    });
  });

  it('reports a missing program as ProgramNotFound', () => {
    const message = 'exec: "python3": executable file not found in $PATH';
    const pod = makePod({ phase: 'Failed', state: { terminated: { exitCode: 128, reason: 'StartError', message } } });
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: { status: 'failed', exitCode: 128, reason: 'ProgramNotFound', message: `the container could not start: ${message}`, terminationMessage: null },
    });
  });

  it('waits for the pod phase when only the container has ended', () => {
    const pod = makePod({ phase: 'Running', state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(assessPod(pod)).toEqual({ kind: 'running' });
  });
});

describe('outcomeOfVanishedPod', () => {
  it('says the pod was deleted', () => {
    expect(outcomeOfVanishedPod('pod-1', undefined)).toEqual({
      status: 'failed',
      exitCode: null,
      reason: 'PodDeleted',
      message: 'pod pod-1 was deleted before its step ended, outside Pipedeck or because its node was lost',
      terminationMessage: null,
    });
  });

  it('says the node was lost when the pod status did', () => {
    const pod = makePod({ phase: 'Running', reason: 'NodeLost', message: 'Node worker-2 which was running pod pod-1 is unresponsive' });
    expect(outcomeOfVanishedPod('pod-1', pod)).toMatchObject({
      reason: 'NodeLost',
      message: 'pod pod-1 was removed because its node was lost: Node worker-2 which was running pod pod-1 is unresponsive',
    });
  });
});

describe('assessPod for deleted pods', () => {
  it('fails a pod the taint manager deletes after its node was lost', () => {
    const pod = makePod({
      phase: 'Running',
      state: { running: {} },
      conditions: [
        { type: 'Ready', status: 'False', reason: 'NodeNotReady' },
        { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' },
      ],
    });
    pod.metadata!.deletionTimestamp = new Date('2024-05-01T12:00:00Z');
    expect(assessPod(pod)).toEqual({
      kind: 'ended',
      outcome: {
        status: 'failed',
        exitCode: null,
        reason: 'NodeLost',
        message: 'the node running pod pod-1 stopped responding, and the pod is being deleted; its step did not finish',
        terminationMessage: null,
      },
    });
  });

  it('keeps following a pod that is being deleted on a healthy node', () => {
    const pod = makePod({ phase: 'Running', state: { running: {} } });
    pod.metadata!.deletionTimestamp = new Date('2024-05-01T12:00:00Z');
    expect(assessPod(pod)).toEqual({ kind: 'running' });
  });

  it('reports a pod deleted by someone else as PodDeleted', () => {
    const pod = makePod({ phase: 'Failed', state: { terminated: { exitCode: 143, reason: 'Error' } } });
    pod.metadata!.deletionTimestamp = new Date('2024-05-01T12:00:00Z');
    expect(assessPod(pod)).toMatchObject({
      kind: 'ended',
      outcome: { reason: 'PodDeleted', exitCode: 143, message: 'pod pod-1 was deleted while its step ran (exit code 143), outside Pipedeck' },
    });
  });
});

describe('attemptEndTime', () => {
  const noticedAt = new Date('2024-05-01T12:10:00.250Z');

  it('takes the last moment of the second the container ended in', () => {
    const pod = makePod({ phase: 'Succeeded', state: { terminated: { exitCode: 0, finishedAt: new Date('2024-05-01T12:00:07Z') } } });
    expect(attemptEndTime(pod, noticedAt)).toBe('2024-05-01T12:00:07.999Z');
  });

  it('reads the string a watch event carries', () => {
    const pod = makePod({ phase: 'Failed', state: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:00:07Z' as unknown as Date } } });
    expect(attemptEndTime(pod, noticedAt)).toBe('2024-05-01T12:00:07.999Z');
  });

  it('is never later than the moment Pipedeck noticed the end', () => {
    const pod = makePod({ phase: 'Succeeded', state: { terminated: { exitCode: 0, finishedAt: new Date('2024-05-01T12:10:00Z') } } });
    expect(attemptEndTime(pod, noticedAt)).toBe('2024-05-01T12:10:00.250Z');
  });

  it('falls back to the moment noticed when the container never ended', () => {
    expect(attemptEndTime(makePod({ phase: 'Pending', state: { waiting: { reason: 'ErrImagePull' } } }), noticedAt)).toBe('2024-05-01T12:10:00.250Z');
    expect(attemptEndTime(undefined, noticedAt)).toBe('2024-05-01T12:10:00.250Z');
  });
});
