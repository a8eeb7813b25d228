import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import type { Pipeline } from '../pipeline/schema';
import { openStore } from './sqlite-store';
import type { Store } from './types';

function pipeline(name: string, stepIds: string[] = ['a']): Pipeline {
  return {
    name,
    description: '',
    parameters: [],
    steps: stepIds.map((id, index) => ({
      id,
      name: id.toUpperCase(),
      kind: 'container',
      image: 'busybox',
      command: ['echo', id],
      args: [],
      env: [],
      inputs: [],
      outputs: [],
      dependsOn: [],
      position: { x: index * 100, y: 0 },
    })),
  };
}

let dataDir: string;
let store: Store;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-store-'));
  store = openStore(dataDir);
});

afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('pipelines', () => {
  it('creates version 1 and saves new versions', () => {
    const created = store.createPipeline(pipeline('first'));
    expect(created.version).toBe(1);
    expect(created.stepCount).toBe(1);

    const saved = store.savePipelineVersion(created.id, pipeline('renamed', ['a', 'b']), 1);
    expect(saved.version).toBe(2);
    expect(saved.name).toBe('renamed');
    expect(saved.stepCount).toBe(2);
    expect(saved.definition.steps.map((step) => step.id)).toEqual(['a', 'b']);
    expect(store.listPipelineVersions(created.id).map((version) => version.version)).toEqual([2, 1]);
    expect(store.getPipelineVersion(created.id, 1)?.definition.name).toBe('first');
  });

  it('rejects a save based on a stale version', () => {
    const created = store.createPipeline(pipeline('first'));
    store.savePipelineVersion(created.id, pipeline('second'), 1);

    let caught: unknown;
    try {
      store.savePipelineVersion(created.id, pipeline('third'), 1);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(PipedeckError);
    expect((caught as PipedeckError).code).toBe('conflict');
    expect(store.getPipeline(created.id)?.version).toBe(2);
    expect(store.listPipelineVersions(created.id)).toHaveLength(2);
  });

  it('reports a missing pipeline on save', () => {
    expect(() => store.savePipelineVersion('nope', pipeline('x'))).toThrow('pipeline nope not found');
  });

  it('deletes a pipeline but keeps its runs', () => {
    const created = store.createPipeline(pipeline('gone'));
    const run = store.createRun({
      pipelineId: created.id,
      pipelineVersion: 1,
      pipeline: created.definition,
      parameters: {},
      executor: 'process',
    });

    expect(store.deletePipeline(created.id)).toBe(true);
    expect(store.getPipeline(created.id)).toBeUndefined();
    expect(store.listPipelineVersions(created.id)).toEqual([]);
    expect(store.getRun(run.id)?.pipelineName).toBe('gone');
    expect(store.deletePipeline(created.id)).toBe(false);
  });

  it('lists the last run of each pipeline', () => {
    const created = store.createPipeline(pipeline('with-runs'));
    const newRun = { pipelineId: created.id, pipelineVersion: 1, pipeline: created.definition, parameters: {}, executor: 'process' as const };
    store.createRun(newRun);
    const latest = store.createRun(newRun);
    store.updateRun(latest.id, { status: 'running' });

    const [summary] = store.listPipelines();
    expect(summary?.lastRun?.id).toBe(latest.id);
    expect(summary?.lastRun?.status).toBe('running');
  });
});

describe('runs', () => {
  function createRun(store: Store, pipelineId = 'p1') {
    return store.createRun({
      pipelineId,
      pipelineVersion: 3,
      pipeline: pipeline('demo', ['ingest', 'train']),
      parameters: { rate: 0.5 },
      executor: 'process',
    });
  }

  it('creates a queued run with pending steps in pipeline order', () => {
    const run = createRun(store);
    const stored = store.getRun(run.id);

    expect(stored?.status).toBe('queued');
    expect(stored?.parameters).toEqual({ rate: 0.5 });
    expect(stored?.pipelineVersion).toBe(3);
    expect(stored?.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['ingest', 'pending'],
      ['train', 'pending'],
    ]);
  });

  it('numbers attempts and stores their refs and outcome', () => {
    const run = createRun(store);
    const first = store.createAttempt(run.id, 'ingest', '2026-01-01T00:00:00.000Z');
    store.updateAttempt(run.id, 'ingest', 1, { status: 'failed', exitCode: 2, reason: 'Error', executorRef: { pid: 42 } });
    const second = store.createAttempt(run.id, 'ingest', '2026-01-01T00:00:01.000Z');

    expect(first.number).toBe(1);
    expect(second.number).toBe(2);
    const step = store.getRun(run.id)?.steps[0];
    expect(step?.status).toBe('running');
    expect(step?.startedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(step?.attempts.map((attempt) => [attempt.number, attempt.status, attempt.exitCode, attempt.executorRef])).toEqual([
      [1, 'failed', 2, { pid: 42 }],
      [2, 'running', null, null],
    ]);
  });

  it('loads one step run with its attempts', () => {
    const run = createRun(store);
    store.createAttempt(run.id, 'train', '2026-01-01T00:00:00.000Z');
    store.updateAttempt(run.id, 'train', 1, { status: 'failed', exitCode: 1 });
    store.createAttempt(run.id, 'train', '2026-01-01T00:00:05.000Z');

    const step = store.getStepRun(run.id, 'train');
    expect(step?.stepId).toBe('train');
    expect(step?.status).toBe('running');
    expect(step?.attempts.map((attempt) => [attempt.number, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'running'],
    ]);
    expect(store.getStepRun(run.id, 'missing')).toBeUndefined();
    expect(store.getStepRun('no-run', 'train')).toBeUndefined();
  });

  it('updates only the given step fields', () => {
    const run = createRun(store);
    store.updateStepRun(run.id, 'train', { status: 'succeeded', exitCode: 0, outputs: { model: { type: 'value', value: 'x' } } });
    store.updateStepRun(run.id, 'train', { message: 'done' });

    const step = store.getRun(run.id)?.steps[1];
    expect(step?.status).toBe('succeeded');
    expect(step?.exitCode).toBe(0);
    expect(step?.message).toBe('done');
    expect(step?.outputs).toEqual({ model: { type: 'value', value: 'x' } });
  });

  it('pages through runs newest first with filters', () => {
    const ids = Array.from({ length: 5 }, (_, index) => createRun(store, index % 2 === 0 ? 'even' : 'odd').id);
    store.updateRun(ids[4]!, { status: 'failed' });

    const first = store.listRuns({ limit: 2 });
    expect(first.runs.map((run) => run.id)).toEqual([ids[4], ids[3]]);
    const second = store.listRuns({ limit: 2, cursor: first.nextCursor! });
    expect(second.runs.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    const third = store.listRuns({ limit: 2, cursor: second.nextCursor! });
    expect(third.runs.map((run) => run.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();

    expect(store.listRuns({ pipelineId: 'even' }).runs.map((run) => run.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect(store.listRuns({ status: 'failed' }).runs.map((run) => run.id)).toEqual([ids[4]]);
  });

  it('rejects a cursor it did not write', () => {
    expect(() => store.listRuns({ cursor: 'not-a-cursor' })).toThrow('cursor is invalid');
  });

  it('lists only queued and running runs as active', () => {
    const queued = createRun(store);
    const running = createRun(store);
    const done = createRun(store);
    store.updateRun(running.id, { status: 'running' });
    store.updateRun(done.id, { status: 'succeeded' });

    expect(store.listActiveRuns().map((run) => run.id)).toEqual([queued.id, running.id]);
  });

  it('refuses attempt paths built from unsafe ids', () => {
    expect(() => store.attemptDir('../etc', 'a', 1)).toThrow('invalid attempt address');
    expect(() => store.attemptDir('abc', 'a/b', 1)).toThrow('invalid attempt address');
    expect(store.logFile('abc', 'train', 2)).toBe(path.join(dataDir, 'runs', 'abc', 'train', '2', 'log'));
  });
});

describe('migrations', () => {
  it('keeps data across reopen and refuses a newer schema', () => {
    const created = store.createPipeline(pipeline('kept'));
    store.close();

    store = openStore(dataDir);
    expect(store.getPipeline(created.id)?.name).toBe('kept');
    store.close();

    const raw = new Database(path.join(dataDir, 'pipedeck.db'));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openStore(dataDir)).toThrow('database schema version 99 is newer than this Pipedeck');
    store = openStore(fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-store-')));
  });
});
