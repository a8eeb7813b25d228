/**
 * API calls of a 50-step run against the Kubernetes API stand-in (a test double): one pod watch for
 * the whole run, and at most 4 calls per step besides log streams. With
 * PIPEDECK_K8S_CALLS_REPORT set, the counts are written to that file for the test runner to print.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';

import { runSteps, startExecutorFixture, stdoutOf, stopExecutorFixture, type ExecutorFixture } from './executor-fixture';

const STEPS = 50;

let fixture: ExecutorFixture | undefined;

afterEach(async () => {
  await stopExecutorFixture(fixture);
  fixture = undefined;
});

describe('kubernetes API calls', () => {
  it('uses one watch and at most 4 calls per step for 50 steps', async () => {
    fixture = await startExecutorFixture();
    const steps = Array.from({ length: STEPS }, (_, index) => ({ id: `step-${index + 1}`, command: ['echo', `step ${index + 1}`] }));
    const run = await runSteps(fixture, steps, 60_000);

    expect(run.status).toBe('succeeded');
    expect(run.steps.every((step) => step.status === 'succeeded')).toBe(true);
    expect(stdoutOf(fixture.store, run.id, 'step-50')).toEqual(['step 50']);

    const counts = fixture.standin.calls.summary();
    const logStreams = counts['pods.log'] ?? 0;
    const total = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
    const perStep = (total - logStreams) / STEPS;
    if (process.env.PIPEDECK_K8S_CALLS_REPORT) {
      fs.writeFileSync(process.env.PIPEDECK_K8S_CALLS_REPORT, JSON.stringify({ steps: STEPS, perStep, logStreams, counts }));
    }

    expect(counts['pods.watch']).toBe(1);
    expect(counts['pods.create']).toBe(STEPS);
    expect(perStep).toBeLessThanOrEqual(4);
  });
});
