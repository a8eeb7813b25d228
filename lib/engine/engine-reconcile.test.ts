import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ProcessExecutor } from '../executors/process/process-executor';
import type { AttemptLocation } from '../executors/types';
import { createSilentLogger } from '../logger';
import { Engine } from './engine';
import { createEngineFixture, createPipeline, stepOf, waitFor, type EngineFixture } from './engine-test-support';

/** A process executor that records the attempts its `reconcile` receives. */
class ReconcilingExecutor extends ProcessExecutor {
  readonly calls: AttemptLocation[][] = [];

  async reconcile(running: AttemptLocation[]): Promise<void> {
    this.calls.push(running);
  }
}

let fixture: EngineFixture;
let restarted: Engine | undefined;

beforeEach(async () => {
  fixture = await createEngineFixture();
});

afterEach(async () => {
  const engine = restarted ?? fixture.engine;
  for (const run of fixture.store.listActiveRuns()) {
    await engine.cancelRun(run.id).catch(() => undefined);
    await engine.waitForRun(run.id, 20_000).catch(() => undefined);
  }
  await fixture.engine.stop();
  await restarted?.stop();
  restarted = undefined;
  fixture.store.close();
  fs.rmSync(fixture.dataDir, { recursive: true, force: true });
});

describe('Engine.start reconcile', () => {
  it('passes the running attempts to reconcile', async () => {
    const pipelineId = createPipeline(fixture.store, [{ id: 'long', command: ['sleep', '30'] }]);
    const run = await fixture.engine.submitRun({ pipelineId });
    await waitFor(() => (stepOf(fixture.store.getRun(run.id)!, 'long').attempts[0]?.executorRef ? true : undefined), 'the step to start');
    await fixture.engine.stop();

    const executor = new ReconcilingExecutor({ pollIntervalMs: 100 });
    restarted = new Engine({ store: fixture.store, executors: [executor], logger: createSilentLogger() });
    await restarted.start();

    const calls = await waitFor(() => (executor.calls.length > 0 ? executor.calls : undefined), 'reconcile to be called');
    expect(calls).toEqual([[{ runId: run.id, stepId: 'long', attempt: 1, attemptDir: fixture.store.attemptDir(run.id, 'long', 1) }]]);
  });

  it('passes an empty list when nothing runs', async () => {
    await fixture.engine.stop();
    const executor = new ReconcilingExecutor({ pollIntervalMs: 100 });
    restarted = new Engine({ store: fixture.store, executors: [executor], logger: createSilentLogger() });
    await restarted.start();

    const calls = await waitFor(() => (executor.calls.length > 0 ? executor.calls : undefined), 'reconcile to be called');
    expect(calls).toEqual([[]]);
  });
});
