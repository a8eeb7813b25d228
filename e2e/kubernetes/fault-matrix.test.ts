/**
 * The kubernetes executor under every fault the Kubernetes API stand-in (a test double) can inject.
 * Each test asserts the step's final state, its reason and loose timing bounds: the executor uses
 * 1.5 s grace periods here, and no bound is tighter than a few seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { podNameFor } from '@/lib/executors/kubernetes/pod-names';

import {
  createPipeline,
  logLines,
  runSteps,
  startExecutorFixture,
  stdoutOf,
  stepOf,
  stepSeconds,
  stopExecutorFixture,
  waitFor,
  type ExecutorFixture,
} from './executor-fixture';

let fixture: ExecutorFixture | undefined;

afterEach(async () => {
  await stopExecutorFixture(fixture);
  fixture = undefined;
});

/** Matches the pods of one step. */
function stepPods(stepId: string) {
  return { labels: { 'pipedeck.dev/step': stepId } };
}

/** Returns a step that prints `count` numbered lines, `pause` seconds apart. */
function countingStep(id: string, count: number, pause: number) {
  return { id, command: ['sh', '-c', `i=1; while [ $i -le ${count} ]; do echo "line $i"; i=$((i+1)); sleep ${pause}; done`] };
}

/** Waits until the stand-in holds no pod of the step. */
async function waitForStepPodsDeleted(stepId: string): Promise<void> {
  const remaining = () => fixture!.standin.pods().filter((pod) => pod.metadata.labels?.['pipedeck.dev/step'] === stepId);
  await waitFor(() => (remaining().length === 0 ? true : undefined), `the pods of step ${stepId} to be deleted`);
}

function systemLines(runId: string, stepId: string): string[] {
  return logLines(fixture!.store, runId, stepId)
    .filter((line) => line.source === 'system')
    .map((line) => line.text);
}

describe('fault matrix', () => {
  it('fails ErrImagePull after the grace period', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.imagePull(stepPods('pull'), 'ErrImagePull');
    const run = await runSteps(fixture, [{ id: 'pull', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'pull');
    expect([step.status, step.reason, step.exitCode]).toEqual(['failed', 'ErrImagePull', null]);
    expect(step.message).toMatch(/^image busybox:1\.36 cannot be pulled \(ErrImagePull\): .+ \(still failing after \d+ s\)$/);
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1.5);
    expect(stepSeconds(step)).toBeLessThan(15);
    expect(systemLines(run.id, 'pull').some((text) => text.startsWith('waiting: image busybox:1.36 cannot be pulled (ErrImagePull)'))).toBe(true);
    expect(systemLines(run.id, 'pull').some((text) => text.startsWith('event Pulling: '))).toBe(true);
    // A pod that never ran is deleted so it stops pulling.
    await waitFor(() => (fixture!.standin.pods().length === 0 ? true : undefined), 'the pod to be deleted');
  });

  it('fails ImagePullBackOff after the grace period', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.imagePull(stepPods('backoff'), 'ImagePullBackOff');
    const run = await runSteps(fixture, [{ id: 'backoff', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'backoff');
    expect([step.status, step.reason]).toEqual(['failed', 'ImagePullBackOff']);
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1.5);
    expect(stepSeconds(step)).toBeLessThan(15);
    expect(systemLines(run.id, 'backoff')).toContain('event BackOff: Back-off pulling image "busybox:1.36"');
    await waitForStepPodsDeleted('backoff');
  });

  it('fails InvalidImageName after the grace period', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.invalidImageName(stepPods('invalid'));
    const run = await runSteps(fixture, [{ id: 'invalid', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'invalid');
    expect([step.status, step.reason]).toEqual(['failed', 'InvalidImageName']);
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1.5);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('fails CreateContainerConfigError with the kubelet message', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.createContainerConfigError(stepPods('config'), { message: 'secret "api-keys" not found' });
    const run = await runSteps(fixture, [{ id: 'config', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'config');
    expect([step.status, step.reason]).toEqual(['failed', 'CreateContainerConfigError']);
    expect(step.message).toMatch(/^the container could not be created: secret "api-keys" not found \(still failing after \d+ s\)$/);
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1.5);
    expect(stepSeconds(step)).toBeLessThan(15);
    // The default on-success policy keeps failed pods, but not one that never started.
    await waitForStepPodsDeleted('config');
  });

  it('recovers when a config error clears within the grace period', async () => {
    fixture = await startExecutorFixture({ settings: { imageErrorGraceMs: 10_000 } });
    const pipelineId = createPipeline(fixture.store, [
      { id: 'late', command: ['sh', '-c', 'echo "token of ${#TOKEN} characters"'], env: [{ name: 'TOKEN', secret: { name: 'late-secret', key: 'token' } }] },
    ]);
    const run = await fixture.engine.submitRun({ pipelineId });

    await waitFor(() => (systemLines(run.id, 'late').some((text) => text.startsWith('waiting: the container could not be created: ')) ? true : undefined), 'the waiting line');
    fixture.standin.addSecret('late-secret', { token: 'abcd' });
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    expect(stepOf(ended, 'late').status).toBe('succeeded');
    expect(stdoutOf(fixture.store, run.id, 'late')).toEqual(['token of 4 characters']);
    expect(stepSeconds(stepOf(ended, 'late'))).toBeLessThan(10);
  });

  it('fails a root image at once', async () => {
    fixture = await startExecutorFixture({ settings: { imageErrorGraceMs: 60_000 } });
    fixture.standin.faults.imageRunsAsRoot('python:3.12');
    const pipelineId = createPipeline(fixture.store, [
      { id: 'root', image: 'python:3.12', command: ['echo', 'never'] },
      { id: 'as-user', image: 'python:3.12', command: ['echo', 'ran as 1000'], security: { runAsUser: 1000 } },
    ]);
    const run = await fixture.engine.submitRun({ pipelineId });
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    const root = stepOf(ended, 'root');
    expect([root.status, root.reason]).toEqual(['failed', 'CreateContainerConfigError']);
    expect(root.message).toBe(
      "image python:3.12 runs as root, which Pipedeck's default security settings do not allow; set `security.runAsUser` on the step to a non-zero user id the image can run as, or set `security.runAsNonRoot: false` to allow root",
    );
    // Failing at once, not after the 60 s grace period.
    expect(stepSeconds(root)).toBeLessThan(15);
    expect(stepOf(ended, 'as-user').status).toBe('succeeded');
    // Its pod never started, so the on-success policy does not keep it Pending.
    await waitForStepPodsDeleted('root');
  });

  it('fails Unschedulable after the grace period', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.unschedulable(stepPods('big'));
    const run = await runSteps(fixture, [{ id: 'big', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'big');
    expect([step.status, step.reason]).toEqual(['failed', 'Unschedulable']);
    expect(step.message).toMatch(/^the pod cannot be scheduled: 0\/1 nodes are available: 1 Insufficient cpu\./);
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1.5);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('fails OOMKilled with exit code 137', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.oomKill(stepPods('hungry'), { afterMs: 300 });
    const run = await runSteps(fixture, [{ id: 'hungry', command: ['sh', '-c', 'echo allocating; sleep 30'], resources: { limits: { memory: '64Mi' } } }]);

    const step = stepOf(run, 'hungry');
    expect([step.status, step.reason, step.exitCode]).toEqual(['failed', 'OOMKilled', 137]);
    expect(step.message).toBe('ran out of memory (limit 64Mi) and was killed (exit code 137)');
    expect(stdoutOf(fixture.store, run.id, 'hungry')).toEqual(['allocating']);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('fails Evicted with the eviction message', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.evict(stepPods('evicted'), { afterMs: 300, message: 'The node was low on resource: ephemeral-storage.' });
    const run = await runSteps(fixture, [{ id: 'evicted', command: ['sleep', '30'] }]);

    const step = stepOf(run, 'evicted');
    expect([step.status, step.reason]).toEqual(['failed', 'Evicted']);
    expect(step.message).toBe('The node was low on resource: ephemeral-storage.');
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('fails a pod that vanishes with its node', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.nodeLost(stepPods('vanish'), { afterMs: 300, podObject: 'deleted' });
    const run = await runSteps(fixture, [{ id: 'vanish', command: ['sleep', '30'] }]);

    const step = stepOf(run, 'vanish');
    expect([step.status, step.reason]).toEqual(['failed', 'PodDeleted']);
    expect(step.message).toBe(`pod ${podNameFor({ runId: run.id, stepId: 'vanish', attempt: 1 })} was deleted before its step ended, outside Pipedeck or because its node was lost`);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('fails and force-deletes a pod left terminating on a lost node', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.nodeLost(stepPods('stuck'), { afterMs: 300, podObject: 'terminating' });
    const run = await runSteps(fixture, [{ id: 'stuck', command: ['sleep', '30'] }]);

    const step = stepOf(run, 'stuck');
    expect([step.status, step.reason]).toEqual(['failed', 'NodeLost']);
    expect(stepSeconds(step)).toBeLessThan(15);
    await waitFor(() => (fixture!.standin.pods().length === 0 ? true : undefined), 'the forced deletion');
  });

  it('fails DeadlineExceeded at the step timeout', async () => {
    fixture = await startExecutorFixture();
    const run = await runSteps(fixture, [{ id: 'slow', command: ['sleep', '30'], timeoutSeconds: 1 }]);

    const step = stepOf(run, 'slow');
    expect([step.status, step.reason]).toEqual(['failed', 'DeadlineExceeded']);
    expect(step.message).toBe('timed out: the step ran longer than its limit of 1 s');
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(1);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('relists after the watch answers 410 Gone', async () => {
    fixture = await startExecutorFixture();
    const pipelineId = createPipeline(fixture.store, [countingStep('steady', 6, 0.3)]);
    const run = await fixture.engine.submitRun({ pipelineId });
    await waitFor(() => (stdoutOf(fixture!.store, run.id, 'steady').length >= 2 ? true : undefined), 'the first lines');

    const listsBefore = fixture.standin.calls.count('pods.list');
    fixture.standin.faults.compactHistory();
    fixture.standin.faults.expireOpenWatches();
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    expect(stepOf(ended, 'steady').status).toBe('succeeded');
    expect(stdoutOf(fixture.store, run.id, 'steady')).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(fixture.standin.calls.count('pods.list')).toBeGreaterThan(listsBefore);
    expect(stepSeconds(stepOf(ended, 'steady'))).toBeLessThan(15);
  });

  it('restarts a watch that silently stalls', async () => {
    fixture = await startExecutorFixture();
    const pipelineId = createPipeline(fixture.store, [countingStep('quiet', 4, 0.5)]);
    const run = await fixture.engine.submitRun({ pipelineId });
    await waitFor(() => (stdoutOf(fixture!.store, run.id, 'quiet').length >= 1 ? true : undefined), 'the first line');

    const watchesBefore = fixture.standin.calls.count('pods.watch');
    fixture.standin.faults.stallOpenWatches();
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    const step = stepOf(ended, 'quiet');
    expect([step.status, step.reason]).toEqual(['succeeded', 'Completed']);
    expect(fixture.standin.calls.count('pods.watch')).toBeGreaterThan(watchesBefore);
    // The step takes about 2 s; the stall costs at most the 1.5 s timeout, a relist and a new watch.
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('retries pod creation through a burst of 500 and 429 answers', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.failRequests('pods.create', { status: 500, times: 2 });
    fixture.standin.faults.failRequests('pods.create', { status: 429, retryAfterSeconds: 1, times: 2 });
    const run = await runSteps(fixture, [{ id: 'busy', command: ['echo', 'created at last'] }]);

    const step = stepOf(run, 'busy');
    expect([step.status, step.reason]).toEqual(['succeeded', 'Completed']);
    expect(stdoutOf(fixture.store, run.id, 'busy')).toEqual(['created at last']);
    expect(fixture.standin.calls.count('pods.create')).toBe(5);
    expect(fixture.standin.createdPodNames()).toEqual([podNameFor({ runId: run.id, stepId: 'busy', attempt: 1 })]);
    // Each of the two 429 responses sets Retry-After to 1 s.
    expect(stepSeconds(step)).toBeGreaterThanOrEqual(2);
    expect(stepSeconds(step)).toBeLessThan(15);
  });

  it('adopts the pod when a create that failed had stored it', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.failRequests('pods.create', { status: 504, storeFirst: true, times: 1 });
    const run = await runSteps(fixture, [{ id: 'timeout', command: ['echo', 'only once'] }]);

    expect(stepOf(run, 'timeout').status).toBe('succeeded');
    expect(stdoutOf(fixture.store, run.id, 'timeout')).toEqual(['only once']);
    expect(fixture.standin.createdPodNames()).toHaveLength(1);
    const podName = podNameFor({ runId: run.id, stepId: 'timeout', attempt: 1 });
    expect(systemLines(run.id, 'timeout')).toContain(`pod ${podName} already existed; following it instead of creating another`);
  });

  it('cancels a run with a Pending pod', async () => {
    fixture = await startExecutorFixture({ settings: { imageErrorGraceMs: 60_000 } });
    fixture.standin.faults.imagePull(stepPods('pending'), 'ImagePullBackOff');
    const pipelineId = createPipeline(fixture.store, [{ id: 'pending', command: ['echo', 'never'] }, countingStep('running', 100, 0.2)]);
    const run = await fixture.engine.submitRun({ pipelineId });
    await waitFor(() => (systemLines(run.id, 'pending').some((text) => text.startsWith('waiting: ')) ? true : undefined), 'the pending pod');
    await waitFor(() => (stdoutOf(fixture!.store, run.id, 'running').length >= 1 ? true : undefined), 'the running pod');

    const cancelledAt = Date.now();
    await fixture.engine.cancelRun(run.id);
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    expect(ended.status).toBe('cancelled');
    expect(ended.steps.map((step) => [step.stepId, step.status, step.reason])).toEqual([
      ['pending', 'cancelled', 'Cancelled'],
      ['running', 'cancelled', 'Cancelled'],
    ]);
    // Cancelled only once the pods are gone.
    expect(fixture.standin.pods()).toEqual([]);
    expect(fixture.standin.calls.count('pods.deletecollection')).toBe(1);
    expect((Date.now() - cancelledAt) / 1000).toBeLessThan(15);
  });

  it('keeps what a cancelled step prints while it shuts down, and its exit code', async () => {
    fixture = await startExecutorFixture({ executor: { cancelGracePeriodSeconds: 5 } });
    // A background sleep and `wait`: a shell reports a killed foreground child as "Terminated".
    const command = ['sh', '-c', 'trap \'echo "got TERM, cleaning up"; sleep 0.3; echo "cleaned up"; exit 3\' TERM; echo started; sleep 60 & wait'];
    const pipelineId = createPipeline(fixture.store, [{ id: 'graceful', command }]);
    const run = await fixture.engine.submitRun({ pipelineId });
    await waitFor(() => (stdoutOf(fixture!.store, run.id, 'graceful').length >= 1 ? true : undefined), 'the first line');

    await fixture.engine.cancelRun(run.id);
    const ended = await fixture.engine.waitForRun(run.id, 30_000);

    const step = stepOf(ended, 'graceful');
    expect([step.status, step.reason, step.exitCode]).toEqual(['cancelled', 'Cancelled', 3]);
    expect(stdoutOf(fixture.store, run.id, 'graceful')).toEqual(['started', 'got TERM, cleaning up', 'cleaned up']);
    const podName = podNameFor({ runId: run.id, stepId: 'graceful', attempt: 1 });
    expect(systemLines(run.id, 'graceful')).toContain(`cancel requested: deleting pod ${podName}`);
  });

  it('resumes a dropped log stream without losing or repeating lines', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.faults.cutLogStream(stepPods('chatty'), { afterLines: 5, mode: 'destroy', times: 1 });
    fixture.standin.faults.cutLogStream(stepPods('chatty'), { afterLines: 12, mode: 'end', times: 1 });
    const run = await runSteps(fixture, [
      { id: 'chatty', command: ['sh', '-c', 'i=1; while [ $i -le 30 ]; do echo "line $i"; echo "line $i again"; i=$((i+1)); sleep 0.05; done'] },
    ]);

    expect(stepOf(run, 'chatty').status).toBe('succeeded');
    const expected = Array.from({ length: 30 }, (_, index) => [`line ${index + 1}`, `line ${index + 1} again`]).flat();
    expect(stdoutOf(fixture.store, run.id, 'chatty')).toEqual(expected);
    expect(fixture.standin.calls.count('pods.log')).toBeGreaterThanOrEqual(3);
  });
});
