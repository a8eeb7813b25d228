import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import type { Executor } from '../executors/types';
import { createSilentLogger } from '../logger';
import type { ProcessAttemptRef } from '../executors/process/process-executor';
import { readStartTicks } from '../executors/process/process-identity';
import { Engine, LOST_AFTER_RESTART_MESSAGE } from './engine';
import {
  createEngine,
  createEngineFixture,
  createPipeline,
  processGroupMembers,
  readLogLines,
  stdoutLines,
  stepOf,
  waitFor,
  type EngineFixture,
} from './engine-test-support';

let fixture: EngineFixture;
/** Every engine a test creates, so afterEach can stop them all. */
let engines: Engine[];

beforeEach(async () => {
  fixture = await createEngineFixture();
  engines = [fixture.engine];
});

afterEach(async () => {
  for (const run of fixture.store.listActiveRuns()) {
    await engines.at(-1)!.cancelRun(run.id).catch(() => undefined);
    await engines.at(-1)!.waitForRun(run.id, 20_000).catch(() => undefined);
  }
  for (const engine of engines) await engine.stop();
  fixture.store.close();
  fs.rmSync(fixture.dataDir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  return readStartTicks(pid) !== undefined;
}

/** Waits until the step's attempt has a stored executor ref, i.e. its process runs. */
async function waitForRunningRef(runId: string, stepId: string): Promise<ProcessAttemptRef> {
  return waitFor(() => {
    const step = stepOf(fixture.store.getRun(runId)!, stepId);
    const ref = step.attempts[0]?.executorRef as ProcessAttemptRef | null | undefined;
    return step.status === 'running' && ref ? ref : undefined;
  }, `step ${stepId} to run`);
}

describe('Engine', () => {
  it('runs parallel branches at the same time', async () => {
    const marks = path.join(fixture.dataDir, 'marks');
    // Each branch waits (up to 10 s) until both branches have started, so branches run one after the
    // other only if the engine serializes them, and then the marks come out of order.
    const branch = (id: string) => ({
      id,
      command: [
        'sh',
        '-c',
        `echo "start ${id}" >> "$1"; i=0; while [ "$(grep -c start "$1")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo "end ${id}" >> "$1"`,
        'sh',
        marks,
      ],
    });
    const pipelineId = createPipeline(fixture.store, [
      branch('left'),
      branch('right'),
      { id: 'join', command: ['sh', '-c', 'echo "start join" >> "$1"', 'sh', marks], dependsOn: ['left', 'right'] },
    ]);

    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('succeeded');
    const order = fs.readFileSync(marks, 'utf8').trim().split('\n');
    // Both branches started before either ended, and the join started after both ended.
    expect(order.slice(0, 2).sort()).toEqual(['start left', 'start right']);
    expect(order.slice(2, 4).sort()).toEqual(['end left', 'end right']);
    expect(order[4]).toBe('start join');

    const left = stepOf(run, 'left');
    const right = stepOf(run, 'right');
    const join = stepOf(run, 'join');
    expect(left.startedAt! < right.finishedAt!).toBe(true);
    expect(right.startedAt! < left.finishedAt!).toBe(true);
    expect(join.startedAt! >= left.finishedAt!).toBe(true);
    expect(join.startedAt! >= right.finishedAt!).toBe(true);
  });

  it('stops starting steps after a failure', async () => {
    const release = path.join(fixture.dataDir, 'release-slow');
    const pipelineId = createPipeline(fixture.store, [
      { id: 'bad', command: ['sh', '-c', 'exit 1'] },
      // Ends only once the test has seen `bad` fail, so `after-slow` is still pending at that time.
      { id: 'slow', command: ['sh', '-c', 'while [ ! -e "$1" ]; do sleep 0.05; done', 'sh', release] },
      { id: 'after-bad', command: ['true'], dependsOn: ['bad'] },
      { id: 'after-after-bad', command: ['true'], dependsOn: ['after-bad'] },
      { id: 'after-slow', command: ['true'], dependsOn: ['slow'] },
    ]);
    const unsubscribe = fixture.engine.subscribe(({ runId, stepId }) => {
      if (stepId === 'bad' && stepOf(fixture.store.getRun(runId)!, 'bad').status === 'failed') fs.writeFileSync(release, '');
    });

    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);
    unsubscribe();

    expect(run.status).toBe('failed');
    expect(run.message).toBe('step `bad` failed: exited with code 1');
    const summary = Object.fromEntries(run.steps.map((step) => [step.stepId, [step.status, step.reason, step.message]]));
    expect(summary).toEqual({
      bad: ['failed', 'Error', 'exited with code 1'],
      slow: ['succeeded', 'Completed', null],
      'after-bad': ['skipped', 'UpstreamFailed', 'not run because upstream step `bad` failed'],
      'after-after-bad': ['skipped', 'UpstreamFailed', 'not run because upstream step `bad` failed'],
      'after-slow': ['skipped', 'FailFast', 'not started because step `bad` failed and the run stops at the first failure'],
    });
    expect(stepOf(run, 'after-slow').attempts).toEqual([]);
    expect(stepOf(run, 'after-bad').attempts).toEqual([]);
  });

  it('passes a value and an artifact downstream', async () => {
    const pipelineId = createPipeline(fixture.store, [
      {
        id: 'produce',
        command: ['sh', '-c', 'echo "hello world" > "$1"; printf "line 1\\nline 2\\n" > "$2"', 'sh', '{{outputs.greeting}}', '{{outputs.data}}'],
        outputs: [
          { name: 'greeting', type: 'string' },
          { name: 'data', type: 'artifact' },
        ],
      },
      {
        id: 'consume',
        command: ['sh', '-c', 'echo "got $1"; cat "$2"', 'sh', '{{inputs.greeting}}', '{{inputs.data}}'],
        inputs: [
          { name: 'greeting', type: 'string', from: { step: 'produce', output: 'greeting' } },
          { name: 'data', type: 'artifact', from: { step: 'produce', output: 'data' } },
        ],
      },
    ]);

    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('succeeded');
    const artifactPath = path.join(fixture.store.attemptDir(run.id, 'produce', 1), 'outputs', 'data');
    expect(stepOf(run, 'produce').outputs).toEqual({
      greeting: { type: 'value', value: 'hello world' },
      data: { type: 'artifact', path: artifactPath, bytes: 14 },
    });
    expect(stepOf(run, 'consume').inputs).toEqual({ greeting: 'hello world', data: artifactPath });
    expect(stdoutLines(fixture.store, run.id, 'consume')).toEqual(['got hello world', 'line 1', 'line 2']);
  });

  it('passes parameters into argv and env', async () => {
    const pipelineId = createPipeline(
      fixture.store,
      [
        {
          id: 'greet',
          command: ['sh', '-c', 'echo "$GREETING $1 {{run.id}}"', 'sh', '{{inputs.name}}'],
          env: [{ name: 'GREETING', value: 'hello' }],
          inputs: [{ name: 'name', type: 'string', from: { parameter: 'who' } }],
        },
      ],
      { parameters: [{ name: 'who', type: 'string', default: 'nobody' }] },
    );

    const queued = await fixture.engine.submitRun({ pipelineId, parameters: { who: 'a b; $(rm -rf /)' } });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('succeeded');
    expect(run.parameters).toEqual({ who: 'a b; $(rm -rf /)' });
    expect(stdoutLines(fixture.store, run.id, 'greet')).toEqual([`hello a b; $(rm -rf /) ${run.id}`]);
  });

  it('cancel kills a running step and its children', async () => {
    const pipelineId = createPipeline(fixture.store, [
      { id: 'sleeper', command: ['sh', '-c', 'sleep 1000 & sleep 1000; wait'] },
      { id: 'later', command: ['true'], dependsOn: ['sleeper'] },
    ]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const ref = await waitForRunningRef(queued.id, 'sleeper');
    const members = await waitFor(() => {
      const pids = processGroupMembers(ref.stepPgid!);
      return pids.length === 3 ? pids : undefined;
    }, 'sh and its two sleep processes');

    const afterCancel = await fixture.engine.cancelRun(queued.id);
    expect(afterCancel.cancelRequested).toBe(true);
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('cancelled');
    expect(run.message).toBe('cancelled on request');
    expect(stepOf(run, 'sleeper')).toMatchObject({ status: 'cancelled', reason: 'Cancelled', message: 'cancelled on request' });
    expect(stepOf(run, 'sleeper').attempts[0]).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    expect(stepOf(run, 'later')).toMatchObject({
      status: 'cancelled',
      reason: 'Cancelled',
      message: 'not started because the run was cancelled',
    });
    for (const pid of members) expect(isAlive(pid), `process ${pid}`).toBe(false);
  });

  it('cancelling a finished run changes nothing', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'quick', command: ['true'] }]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const finished = await fixture.engine.waitForRun(queued.id, 20_000);

    const afterCancel = await fixture.engine.cancelRun(queued.id);

    expect(afterCancel).toEqual(finished);
    await expect(fixture.engine.cancelRun('no-such-run')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports a missing program', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'train', command: ['pipedeck-no-such-python3', 'train.py'] }]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    const message = 'pipedeck-no-such-python3: not found on this machine; the process executor runs commands on the host';
    expect(run.status).toBe('failed');
    expect(run.message).toBe(`step \`train\` failed: ${message}`);
    expect(stepOf(run, 'train')).toMatchObject({ status: 'failed', reason: 'ProgramNotFound', message, exitCode: null });
    expect(readLogLines(fixture.store, run.id, 'train')).toEqual([{ source: 'system', text: message }]);
  });

  it('reports a non-zero exit code', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'check', command: ['sh', '-c', 'exit 7'] }]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    expect(stepOf(run, 'check')).toMatchObject({ status: 'failed', reason: 'Error', message: 'exited with code 7', exitCode: 7 });
    expect(stepOf(run, 'check').attempts[0]).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 7 });
    expect(run.message).toBe('step `check` failed: exited with code 7');
  });

  it('reports a missing output', async () => {
    const pipelineId = createPipeline(fixture.store, [
      { id: 'report', command: ['true'], outputs: [{ name: 'score', type: 'number' }] },
    ]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const run = await fixture.engine.waitForRun(queued.id, 20_000);

    const file = path.join(fixture.store.attemptDir(run.id, 'report', 1), 'outputs', 'score');
    expect(stepOf(run, 'report')).toMatchObject({
      status: 'failed',
      reason: 'OutputMissing',
      message: `output \`score\` was not written: no file at ${file}`,
      exitCode: 0,
    });
  });

  it('re-attaches a running step after a restart', async () => {
    const pipelineId = createPipeline(fixture.store, [
      { id: 'long', command: ['sh', '-c', 'echo before; sleep 2; echo after'] },
      { id: 'next', command: ['echo', 'next ran'], dependsOn: ['long'] },
    ]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    await waitForRunningRef(queued.id, 'long');
    await waitFor(() => (stdoutLines(fixture.store, queued.id, 'long').includes('before') ? true : undefined), 'the first line');

    await fixture.engine.stop();
    const restarted = createEngine(fixture.store);
    engines.push(restarted);
    await restarted.start();
    const run = await restarted.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'long').attempts).toHaveLength(1);
    expect(stepOf(run, 'long').attempts[0]).toMatchObject({ status: 'succeeded', reason: 'Completed', exitCode: 0 });
    expect(stdoutLines(fixture.store, run.id, 'long')).toEqual(['before', 'after']);
    expect(stdoutLines(fixture.store, run.id, 'next')).toEqual(['next ran']);
  });

  it('keeps the recorded end time of a step that ended during a restart', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'quick', command: ['sh', '-c', 'sleep 0.5; echo done'] }]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    await waitForRunningRef(queued.id, 'quick');
    await fixture.engine.stop();

    const exitFile = path.join(fixture.store.attemptDir(queued.id, 'quick', 1), 'exit.json');
    const endedAt = await waitFor(() => (fs.existsSync(exitFile) ? (JSON.parse(fs.readFileSync(exitFile, 'utf8')) as { endedAt: string }).endedAt : undefined), 'exit.json');
    // The restart happens well after the step ended, so the engine's clock would give a later time.
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const restarted = createEngine(fixture.store);
    engines.push(restarted);
    await restarted.start();
    const run = await restarted.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'quick').finishedAt).toBe(endedAt);
    expect(stepOf(run, 'quick').attempts[0]?.finishedAt).toBe(endedAt);
  });

  it('marks a step lost when its process died during a restart', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'doomed', command: ['sleep', '1000'] }]);
    const queued = await fixture.engine.submitRun({ pipelineId });
    const ref = await waitForRunningRef(queued.id, 'doomed');

    await fixture.engine.stop();
    process.kill(ref.supervisorPid, 'SIGKILL');
    process.kill(-ref.stepPgid!, 'SIGKILL');
    await waitFor(() => (isAlive(ref.supervisorPid) || isAlive(ref.stepPid!) ? undefined : true), 'the processes to end');

    const restarted = createEngine(fixture.store);
    engines.push(restarted);
    await restarted.start();
    const run = await restarted.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('failed');
    expect(run.message).toBe(`step \`doomed\` failed: ${LOST_AFTER_RESTART_MESSAGE}`);
    expect(stepOf(run, 'doomed')).toMatchObject({ status: 'failed', reason: 'Lost', message: LOST_AFTER_RESTART_MESSAGE });
    expect(stepOf(run, 'doomed').attempts).toHaveLength(1);
    expect(stepOf(run, 'doomed').attempts[0]).toMatchObject({ status: 'failed', reason: 'Lost' });
    expect(readLogLines(fixture.store, run.id, 'doomed').at(-1)).toEqual({ source: 'system', text: LOST_AFTER_RESTART_MESSAGE });
  });

  it('stores nothing for a bad run request', async () => {
    const pipelineId = createPipeline(
      fixture.store,
      [{ id: 'echo', command: ['echo', '{{inputs.count}}'], inputs: [{ name: 'count', type: 'number', from: { parameter: 'count' } }] }],
      { parameters: [{ name: 'count', type: 'number' }] },
    );
    const cyclicId = createPipeline(fixture.store, [
      { id: 'a', command: ['true'], dependsOn: ['b'] },
      { id: 'b', command: ['true'], dependsOn: ['a'] },
    ]);
    const secretId = createPipeline(fixture.store, [
      { id: 'uses-secret', command: ['true'], env: [{ name: 'TOKEN', secret: { name: 'api-keys', key: 'token' } }] },
    ]);
    const countRuns = () => fixture.store.listRuns({ limit: 200 }).runs.length;
    const before = countRuns();

    const cases: [string, Parameters<Engine['submitRun']>[0], string][] = [
      ['unknown pipeline', { pipelineId: 'no-such-pipeline' }, 'not_found'],
      ['unknown version', { pipelineId, version: 9, parameters: { count: 1 } }, 'not_found'],
      ['missing parameter', { pipelineId }, 'invalid_parameters'],
      ['mistyped parameter', { pipelineId, parameters: { count: 'many' } }, 'invalid_parameters'],
      ['unknown parameter', { pipelineId, parameters: { count: 1, color: 'red' } }, 'invalid_parameters'],
      ['unknown executor', { pipelineId, parameters: { count: 1 }, executor: 'slurm' as never }, 'invalid_request'],
      ['unconfigured executor', { pipelineId, parameters: { count: 1 }, executor: 'docker' }, 'executor_unavailable'],
      ['invalid pipeline', { pipelineId: cyclicId }, 'invalid_pipeline'],
      ['secret on the process executor', { pipelineId: secretId }, 'invalid_pipeline'],
    ];
    for (const [name, request, code] of cases) {
      const error = await fixture.engine.submitRun(request).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error, name).toBeInstanceOf(PipedeckError);
      expect((error as PipedeckError).code, name).toBe(code);
    }

    expect(countRuns()).toBe(before);
    expect(before).toBe(0);
  });

  it('reruns with the same version, parameters and executor', async () => {
    const pipelineId = createPipeline(
      fixture.store,
      [{ id: 'echo', command: ['echo', '{{inputs.count}}'], inputs: [{ name: 'count', type: 'number', from: { parameter: 'count' } }] }],
      { parameters: [{ name: 'count', type: 'number' }] },
    );
    const first = await fixture.engine.submitRun({ pipelineId, parameters: { count: '3' } });
    await fixture.engine.waitForRun(first.id, 20_000);

    const second = await fixture.engine.rerun(first.id);
    const run = await fixture.engine.waitForRun(second.id, 20_000);

    expect(second.id).not.toBe(first.id);
    expect(run).toMatchObject({ status: 'succeeded', pipelineId, pipelineVersion: 1, parameters: { count: 3 }, executor: 'process' });
    expect(stdoutLines(fixture.store, run.id, 'echo')).toEqual(['3']);
  });

  it('notifies subscribers of run and step changes', async () => {
    const changes: string[] = [];
    const unsubscribe = fixture.engine.subscribe(({ runId, stepId }) => {
      const run = fixture.store.getRun(runId)!;
      changes.push(stepId ? `${stepId}:${stepOf(run, stepId).status}` : `run:${run.status}`);
    });
    const pipelineId = createPipeline(fixture.store, [{ id: 'only', command: ['true'] }]);

    const queued = await fixture.engine.submitRun({ pipelineId });
    await fixture.engine.waitForRun(queued.id, 20_000);
    unsubscribe();

    expect(changes).toEqual(['run:queued', 'run:running', 'only:running', 'only:succeeded', 'run:succeeded']);
  });

  it('fails a step whose executor cannot start it', async () => {
    const broken: Executor = {
      name: 'docker',
      supportsSecrets: false,
      checkAvailability: async () => ({ available: true, detail: 'test double that cannot start steps' }),
      stepPaths: (_location, _outputs, inputArtifacts) => ({ outputs: {}, inputArtifacts }),
      start: async () => {
        throw new Error('the socket refused the connection');
      },
      reattach: async () => undefined,
    };
    const engine = new Engine({ store: fixture.store, executors: [broken], logger: createSilentLogger(), defaultExecutor: 'docker' });
    engines.push(engine);
    await engine.start();
    const pipelineId = createPipeline(fixture.store, [
      { id: 'first', command: ['true'] },
      { id: 'second', command: ['true'], dependsOn: ['first'] },
    ]);

    const queued = await engine.submitRun({ pipelineId });
    const run = await engine.waitForRun(queued.id, 20_000);

    expect(run.status).toBe('failed');
    expect(run.executor).toBe('docker');
    expect(stepOf(run, 'first')).toMatchObject({
      status: 'failed',
      reason: 'Error',
      message: 'could not start the step: the socket refused the connection',
    });
    expect(stepOf(run, 'first').attempts).toHaveLength(1);
    expect(stepOf(run, 'second')).toMatchObject({ status: 'skipped', reason: 'UpstreamFailed' });
  });

  it('lists the configured executors', async () => {
    expect(await fixture.engine.listExecutors()).toEqual([
      {
        name: 'process',
        available: true,
        detail: 'steps run as processes on this machine, with the commands installed here; the step image is not used',
      },
    ]);
  });
});
