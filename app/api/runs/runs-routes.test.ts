import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunRecord, RunWithSteps } from '@/lib/engine/types';
import { getEngine, getStore } from '@/lib/server/context';
import { apiRequest, errorOf, removeTemporaryDataDir, routeParams, useTemporaryDataDir } from '@/lib/server/test-support';
import type { RunSummary } from '@/lib/store/types';
import { GET as getHealth } from '../health/route';
import { GET as getExecutors } from '../executors/route';
import { POST as createPipeline } from '../pipelines/route';
import { POST as cancel } from './[id]/cancel/route';
import { POST as retry } from './[id]/retry/route';
import { GET as getRun } from './[id]/route';
import { GET as listRuns, POST as startRun } from './route';

const RUN_TIMEOUT_MS = 20_000;

let dataDir: string;
let quickPipelineId: string;
let slowPipelineId: string;
let otherPipelineId: string;

async function addPipeline(pipeline: unknown): Promise<string> {
  const response = await createPipeline(apiRequest('POST', '/api/pipelines', { pipeline }), routeParams({}));
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function start(body: unknown): Promise<Response> {
  return startRun(apiRequest('POST', '/api/runs', body), routeParams({}));
}

async function startAndFinish(pipelineId: string): Promise<RunWithSteps> {
  const response = await start({ pipelineId });
  expect(response.status).toBe(201);
  const run = (await response.json()) as RunRecord;
  return (await getEngine()).waitForRun(run.id, RUN_TIMEOUT_MS);
}

async function list(query: string): Promise<{ status: number; body: { runs: RunSummary[]; nextCursor: string | null } }> {
  const response = await listRuns(apiRequest('GET', `/api/runs${query}`), routeParams({}));
  return { status: response.status, body: (await response.json()) as { runs: RunSummary[]; nextCursor: string | null } };
}

function runCount(): number {
  return getStore().listRuns({ limit: 200 }).runs.length;
}

beforeAll(async () => {
  process.env.PIPEDECK_LOG_LEVEL = 'silent';
  dataDir = await useTemporaryDataDir('pipedeck-runs-api-');
  quickPipelineId = await addPipeline({
    name: 'quick',
    steps: [{ id: 'greet', name: 'Greet', image: 'busybox', command: ['sh', '-c', 'echo hello'] }],
  });
  slowPipelineId = await addPipeline({
    name: 'slow',
    steps: [{ id: 'wait', name: 'Wait', image: 'busybox', command: ['sleep', '60'] }],
  });
  otherPipelineId = await addPipeline({
    name: 'other',
    steps: [{ id: 'fail', name: 'Fail', image: 'busybox', command: ['sh', '-c', 'exit 3'] }],
  });
});

afterAll(async () => {
  await removeTemporaryDataDir(dataDir);
});

describe('GET /api/health', () => {
  it('reports ok, the version and the process executor', async () => {
    const response = await getHealth(apiRequest('GET', '/api/health'), routeParams({}));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; version: string; executors: { name: string; available: boolean }[] };
    expect(body.status).toBe('ok');
    expect(body.version).toBe('0.1.0');
    expect(body.executors.map((executor) => [executor.name, executor.available])).toEqual([['process', true]]);
  });

  it('lists executors on /api/executors', async () => {
    const response = await getExecutors(apiRequest('GET', '/api/executors'), routeParams({}));
    const body = (await response.json()) as { executors: { name: string; available: boolean; detail: string }[] };
    expect(body.executors).toEqual([
      {
        name: 'process',
        available: true,
        detail: 'steps run as processes on this machine, with the commands installed here; the step image is not used',
      },
    ]);
  });
});

describe('POST /api/runs', () => {
  it('starts a run that succeeds', async () => {
    const response = await start({ pipelineId: quickPipelineId });
    expect(response.status).toBe(201);
    const run = (await response.json()) as RunRecord;
    expect(run.id).toMatch(/^[a-z0-9]+$/);
    expect(run.pipelineId).toBe(quickPipelineId);
    expect(run.pipelineVersion).toBe(1);
    expect(run.executor).toBe('process');

    const finished = await (await getEngine()).waitForRun(run.id, RUN_TIMEOUT_MS);
    expect(finished.status).toBe('succeeded');

    const fetched = await getRun(apiRequest('GET', `/api/runs/${run.id}`), routeParams({ id: run.id }));
    expect(fetched.status).toBe(200);
    const body = (await fetched.json()) as RunWithSteps;
    expect(body.status).toBe('succeeded');
    expect(body.steps.map((step) => [step.stepId, step.status, step.exitCode, step.attempts.length])).toEqual([
      ['greet', 'succeeded', 0, 1],
    ]);
  });

  it('rejects a missing pipelineId with 400 and stores nothing', async () => {
    const before = runCount();
    const response = await start({ parameters: {} });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: 'pipelineId: Invalid input: expected string, received undefined',
      details: { fields: [{ field: 'pipelineId', message: 'Invalid input: expected string, received undefined' }] },
    });
    expect(runCount()).toBe(before);
  });

  it('rejects a wrong version type and unknown fields', async () => {
    const wrongVersion = await start({ pipelineId: quickPipelineId, version: 'latest' });
    expect(wrongVersion.status).toBe(400);
    expect((await errorOf(wrongVersion)).message).toBe('version: Invalid input: expected number, received string');

    const unknownField = await start({ pipelineId: quickPipelineId, priority: 1 });
    expect(unknownField.status).toBe(400);
    expect((await errorOf(unknownField)).message).toBe('(body): Unrecognized key: "priority"');
  });

  it('rejects an unknown executor name', async () => {
    const response = await start({ pipelineId: quickPipelineId, executor: 'podman' });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('executor: must be one of process, docker, kubernetes');
  });

  it('returns 404 for an unknown pipeline and stores nothing', async () => {
    const before = runCount();
    const response = await start({ pipelineId: 'nosuchpipeline' });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
    expect(runCount()).toBe(before);
  });

  it('rejects a pipeline with validation problems with 422', async () => {
    const brokenId = await addPipeline({
      name: 'broken',
      steps: [{ id: 'a', name: 'A', image: 'busybox', command: [] }],
    });
    const before = runCount();
    const response = await start({ pipelineId: brokenId });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).code).toBe('invalid_pipeline');
    expect(runCount()).toBe(before);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await startRun(
      apiRequest('POST', '/api/runs', 'pipelineId=abc', { 'content-type': 'application/json' }),
      routeParams({}),
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_request', message: 'request body is not valid JSON' });
  });
});

describe('GET /api/runs', () => {
  it('pages with limit and cursor, newest first', async () => {
    const started = [
      await startAndFinish(otherPipelineId),
      await startAndFinish(otherPipelineId),
      await startAndFinish(otherPipelineId),
    ];
    const newestFirst = started.map((run) => run.id).reverse();

    const firstPage = await list(`?pipelineId=${otherPipelineId}&limit=2`);
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.runs.map((run) => run.id)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage.body.nextCursor).not.toBeNull();

    const secondPage = await list(`?pipelineId=${otherPipelineId}&limit=2&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body.runs.map((run) => run.id)).toEqual(newestFirst.slice(2));
    expect(secondPage.body.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const failed = await list(`?pipelineId=${otherPipelineId}&status=failed`);
    expect(failed.body.runs.length).toBe(3);
    expect(failed.body.runs.every((run) => run.status === 'failed')).toBe(true);

    const succeeded = await list(`?pipelineId=${otherPipelineId}&status=succeeded`);
    expect(succeeded.body.runs).toEqual([]);
  });

  it('rejects limits outside 1..200', async () => {
    for (const limit of ['0', '201', 'ten']) {
      const result = await list(`?limit=${limit}`);
      expect(result.status, limit).toBe(400);
    }
    const tooBig = await list('?limit=201');
    expect(tooBig.body).toEqual({
      error: {
        code: 'invalid_request',
        message: 'limit: Too big: expected number to be <=200',
        details: { fields: [{ field: 'limit', message: 'Too big: expected number to be <=200' }] },
      },
    });
  });

  it('rejects an unknown status and a forged cursor', async () => {
    const status = await list('?status=done');
    expect(status.status).toBe(400);
    expect(status.body).toMatchObject({
      error: { code: 'invalid_request', message: 'status: must be one of queued, running, succeeded, failed, cancelled' },
    });

    const cursor = await list('?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).toBe(400);
    expect(cursor.body).toEqual({
      error: { code: 'invalid_request', message: 'cursor is invalid; pass the nextCursor value from the previous page unchanged' },
    });
  });
});

describe('GET /api/runs/:id', () => {
  it('returns 404 for an unknown run', async () => {
    const response = await getRun(apiRequest('GET', '/api/runs/nosuchrun'), routeParams({ id: 'nosuchrun' }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'run nosuchrun not found' });
  });
});

describe('POST /api/runs/:id/cancel', () => {
  it('cancels a running step', async () => {
    const response = await start({ pipelineId: slowPipelineId });
    const run = (await response.json()) as RunRecord;
    const engine = await getEngine();

    await new Promise<void>((resolve) => {
      const check = () => {
        if ((getStore().getRun(run.id)?.steps[0]?.attempts.length ?? 0) > 0) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = engine.subscribe(check);
      check();
    });

    const cancelled = await cancel(apiRequest('POST', `/api/runs/${run.id}/cancel`), routeParams({ id: run.id }));
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as RunRecord).cancelRequested).toBe(true);

    const finished = await engine.waitForRun(run.id, RUN_TIMEOUT_MS);
    expect(finished.status).toBe('cancelled');
    expect(finished.steps[0]?.status).toBe('cancelled');
  });

  it('returns 404 for an unknown run', async () => {
    const response = await cancel(apiRequest('POST', '/api/runs/nosuchrun/cancel'), routeParams({ id: 'nosuchrun' }));
    expect(response.status).toBe(404);
  });
});

describe('POST /api/runs/:id/retry', () => {
  it('starts a new run of the same version', async () => {
    const original = await startAndFinish(quickPipelineId);
    const response = await retry(apiRequest('POST', `/api/runs/${original.id}/retry`), routeParams({ id: original.id }));
    expect(response.status).toBe(201);
    const rerun = (await response.json()) as RunRecord;
    expect(rerun.id).not.toBe(original.id);
    expect(rerun.pipelineId).toBe(original.pipelineId);
    expect(rerun.pipelineVersion).toBe(original.pipelineVersion);
    expect((await (await getEngine()).waitForRun(rerun.id, RUN_TIMEOUT_MS)).status).toBe('succeeded');
  });

  it('returns 404 for an unknown run', async () => {
    const response = await retry(apiRequest('POST', '/api/runs/nosuchrun/retry'), routeParams({ id: 'nosuchrun' }));
    expect(response.status).toBe(404);
  });
});
