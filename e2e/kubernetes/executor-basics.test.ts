/**
 * The kubernetes executor's everyday path against the Kubernetes API stand-in: a step runs as a
 * pod, its log and events reach the attempt's log, outputs travel to downstream steps, and pods
 * are cleaned up by policy.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { PipedeckError } from '@/lib/errors';
import { podNameFor } from '@/lib/executors/kubernetes/pod-names';

import { createPipeline, logLines, runSteps, startExecutorFixture, stdoutOf, stepOf, stopExecutorFixture, type ExecutorFixture } from './executor-fixture';

let fixture: ExecutorFixture | undefined;

afterEach(async () => {
  await stopExecutorFixture(fixture);
  fixture = undefined;
});

describe('kubernetes executor', () => {
  it('runs a step as a pod and stores its log', async () => {
    fixture = await startExecutorFixture();
    const run = await runSteps(fixture, [{ id: 'hello', command: ['sh', '-c', 'echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three'] }]);

    const step = stepOf(run, 'hello');
    expect(run.status).toBe('succeeded');
    expect([step.status, step.reason, step.exitCode]).toEqual(['succeeded', 'Completed', 0]);
    expect(stdoutOf(fixture.store, run.id, 'hello')).toEqual(['one', 'two', 'three']);

    const system = logLines(fixture.store, run.id, 'hello').filter((line) => line.source === 'system').map((line) => line.text);
    expect(system.some((text) => text.startsWith('event Scheduled: '))).toBe(true);
    expect(system.some((text) => text.startsWith('event Started: '))).toBe(true);
    expect(system.at(-1)).toBe(`pod ${podNameFor({ runId: run.id, stepId: 'hello', attempt: 1 })} succeeded`);
    // on-success cleanup removed the pod.
    expect(fixture.standin.pods()).toEqual([]);
  });

  it('passes a value output downstream', async () => {
    fixture = await startExecutorFixture();
    const run = await runSteps(fixture, [
      { id: 'produce', command: ['sh', '-c', 'printf 0.93 > "$1"', 'sh', '{{outputs.accuracy}}'], outputs: [{ name: 'accuracy', type: 'number' }] },
      { id: 'consume', command: ['echo', 'accuracy={{inputs.accuracy}}'], inputs: [{ name: 'accuracy', type: 'number', from: { step: 'produce', output: 'accuracy' } }] },
    ]);

    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'produce').outputs).toEqual({ accuracy: { type: 'value', value: '0.93' } });
    expect(stdoutOf(fixture.store, run.id, 'consume')).toEqual(['accuracy=0.93']);
  });

  it('keeps a failed pod and reports the exit code', async () => {
    fixture = await startExecutorFixture();
    const run = await runSteps(fixture, [{ id: 'fail', command: ['sh', '-c', 'echo about to fail; exit 3'] }]);

    const step = stepOf(run, 'fail');
    expect([run.status, step.status, step.reason, step.exitCode]).toEqual(['failed', 'failed', 'Error', 3]);
    expect(step.message).toBe('exited with code 3: about to fail');
    expect(fixture.standin.pods().map((pod) => pod.metadata.name)).toEqual([podNameFor({ runId: run.id, stepId: 'fail', attempt: 1 })]);
  });

  it('takes env from a secret key', async () => {
    fixture = await startExecutorFixture();
    fixture.standin.addSecret('api-keys', { token: 's3cret-value' });
    const run = await runSteps(fixture, [
      { id: 'secret', command: ['sh', '-c', 'echo "token of ${#TOKEN} characters"'], env: [{ name: 'TOKEN', secret: { name: 'api-keys', key: 'token' } }] },
    ]);

    expect(run.status).toBe('succeeded');
    expect(stdoutOf(fixture.store, run.id, 'secret')).toEqual(['token of 12 characters']);
    expect(JSON.stringify(fixture.store.getRun(run.id))).not.toContain('s3cret-value');
  });

  it('hands an artifact to the next step on the run claim', async () => {
    fixture = await startExecutorFixture({ settings: { artifacts: { kind: 'per-run-claim', storageClass: 'standard', size: '1Gi', accessMode: 'ReadWriteOnce' } } });
    const run = await runSteps(fixture, [
      { id: 'write', command: ['sh', '-c', 'echo "a,b" > "$1"', 'sh', '{{outputs.table}}'], outputs: [{ name: 'table', type: 'artifact' }] },
      { id: 'read', command: ['cat', '{{inputs.table}}'], inputs: [{ name: 'table', type: 'artifact', from: { step: 'write', output: 'table' } }] },
    ]);

    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'write').outputs.table).toEqual({ type: 'artifact', path: expect.stringMatching(/^pvc:\/\/pipedeck-run-[a-z0-9-]+\/write\/1\/table$/), bytes: null });
    expect(stdoutOf(fixture.store, run.id, 'read')).toEqual(['a,b']);
  });

  it('deletes failed pods with the always policy', async () => {
    fixture = await startExecutorFixture({ settings: { podCleanup: 'always' } });
    const run = await runSteps(fixture, [{ id: 'fail', command: ['sh', '-c', 'exit 1'] }]);

    expect(stepOf(run, 'fail').status).toBe('failed');
    expect(fixture.standin.pods()).toEqual([]);
  });

  it('keeps succeeded pods with the never policy', async () => {
    fixture = await startExecutorFixture({ settings: { podCleanup: 'never' } });
    const run = await runSteps(fixture, [{ id: 'keep', command: ['echo', 'kept'] }]);

    expect(stepOf(run, 'keep').status).toBe('succeeded');
    expect(fixture.standin.pods().map((pod) => [pod.metadata.name, pod.status?.phase])).toEqual([
      [podNameFor({ runId: run.id, stepId: 'keep', attempt: 1 }), 'Succeeded'],
    ]);
  });

  it('fails the step when pod creation keeps failing', async () => {
    fixture = await startExecutorFixture({ executor: { createTries: 3 } });
    fixture.standin.faults.failRequests('pods.create', { status: 500, times: 3 });
    const run = await runSteps(fixture, [{ id: 'never', command: ['echo', 'never'] }]);

    const step = stepOf(run, 'never');
    expect([step.status, step.reason]).toEqual(['failed', 'Error']);
    expect(step.message).toBe(`could not start the step: creating pod ${podNameFor({ runId: run.id, stepId: 'never', attempt: 1 })} failed: Internal error occurred: etcdserver: request timed out`);
    expect(fixture.standin.calls.count('pods.create')).toBe(3);
    expect(fixture.standin.createdPodNames()).toEqual([]);
  });

  it('rejects a run whose step has two value outputs, storing nothing', async () => {
    fixture = await startExecutorFixture();
    const pipelineId = createPipeline(fixture.store, [
      { id: 'two', command: ['echo'], outputs: [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }] },
    ]);

    const error = await fixture.engine.submitRun({ pipelineId }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(PipedeckError);
    expect((error as PipedeckError).code).toBe('invalid_pipeline');
    expect((error as PipedeckError).message).toBe(
      "the `kubernetes` executor cannot run this pipeline: step `two` declares 2 value outputs (a, b), but on Kubernetes a step passes at most one value, through its pod's termination message; declare the others as artifacts",
    );
    expect(fixture.store.listRuns({}).runs).toEqual([]);
    expect(fixture.standin.calls.count('pods.create')).toBe(0);
  });

  it('rejects artifacts when no artifact storage is configured', async () => {
    fixture = await startExecutorFixture({ settings: { artifacts: { kind: 'none' } } });
    const pipelineId = createPipeline(fixture.store, [{ id: 'make', command: ['true'], outputs: [{ name: 'data', type: 'artifact' }] }]);

    const error = await fixture.engine.submitRun({ pipelineId }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect((error as PipedeckError).code).toBe('invalid_pipeline');
    expect((error as PipedeckError).message).toContain('step `make` passes artifacts, but no artifact storage is configured');
    expect(fixture.store.listRuns({}).runs).toEqual([]);
  });
});
