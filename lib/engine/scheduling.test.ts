import { describe, expect, it } from 'vitest';

import { compilePipeline } from '../pipeline/compile';
import { pipelineSchema } from '../pipeline/schema';
import { decideNextActions } from './scheduling';
import type { StepRunRecord, StepStatus } from './types';

// a → b → c, and d on its own.
const plan = compilePipeline(
  pipelineSchema.parse({
    name: 'chain',
    steps: [
      { id: 'a', name: 'a', image: 'alpine:3', command: ['true'] },
      { id: 'b', name: 'b', image: 'alpine:3', command: ['true'], dependsOn: ['a'] },
      { id: 'c', name: 'c', image: 'alpine:3', command: ['true'], dependsOn: ['b'] },
      { id: 'd', name: 'd', image: 'alpine:3', command: ['true'] },
    ],
  }),
  {},
);

function steps(statuses: Record<string, StepStatus>): StepRunRecord[] {
  return Object.entries(statuses).map(([stepId, status], index) => ({
    runId: 'run',
    stepId,
    name: stepId,
    status,
    reason: null,
    message: status === 'failed' ? 'exited with code 1' : null,
    exitCode: null,
    startedAt: null,
    finishedAt: status === 'pending' || status === 'running' ? null : `2030-01-01T00:00:0${index}.000Z`,
    inputs: {},
    outputs: {},
    attempts: [],
  }));
}

describe('decideNextActions', () => {
  it('starts every step whose upstream succeeded', () => {
    const decision = decideNextActions(plan, steps({ a: 'succeeded', b: 'pending', c: 'pending', d: 'pending' }), false);

    expect(decision.start.map((planStep) => planStep.step.id)).toEqual(['b', 'd']);
    expect(decision.end).toEqual([]);
    expect(decision.outcome).toBeUndefined();
  });

  it('skips downstream steps transitively after a failure', () => {
    const decision = decideNextActions(plan, steps({ a: 'failed', b: 'pending', c: 'pending', d: 'running' }), false);

    expect(decision.start).toEqual([]);
    expect(decision.end).toEqual([
      { stepId: 'b', status: 'skipped', reason: 'UpstreamFailed', message: 'not run because upstream step `a` failed' },
      { stepId: 'c', status: 'skipped', reason: 'UpstreamFailed', message: 'not run because upstream step `a` failed' },
    ]);
    expect(decision.outcome).toBeUndefined();
  });

  it('fails the run once nothing runs', () => {
    const decision = decideNextActions(plan, steps({ a: 'succeeded', b: 'failed', c: 'pending', d: 'failed' }), false);

    expect(decision.outcome).toEqual({ status: 'failed', message: 'step `b` failed: exited with code 1 (also failed: `d`)' });
  });

  it('cancels pending steps and waits for running ones', () => {
    const running = decideNextActions(plan, steps({ a: 'running', b: 'pending', c: 'pending', d: 'succeeded' }), true);
    const done = decideNextActions(plan, steps({ a: 'cancelled', b: 'cancelled', c: 'cancelled', d: 'succeeded' }), true);

    expect(running.start).toEqual([]);
    expect(running.end.map((ending) => [ending.stepId, ending.status, ending.reason])).toEqual([
      ['b', 'cancelled', 'Cancelled'],
      ['c', 'cancelled', 'Cancelled'],
    ]);
    expect(running.outcome).toBeUndefined();
    expect(done.outcome).toEqual({ status: 'cancelled', message: 'cancelled on request' });
  });

  it('succeeds when every step succeeded', () => {
    const decision = decideNextActions(plan, steps({ a: 'succeeded', b: 'succeeded', c: 'succeeded', d: 'succeeded' }), false);

    expect(decision).toEqual({ start: [], end: [], outcome: { status: 'succeeded', message: null } });
  });
});
