import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunRecord, RunWithSteps } from '@/lib/engine/types';
import { getEngine, getStore } from '@/lib/server/context';
import { apiRequest, errorOf, removeTemporaryDataDir, routeParams, useTemporaryDataDir } from '@/lib/server/test-support';
import { POST as createPipeline } from '@/app/api/pipelines/route';
import { POST as cancelRun } from '@/app/api/runs/[id]/cancel/route';
import { POST as startRun } from '@/app/api/runs/route';
import { GET } from './route';

const RUN_TIMEOUT_MS = 20_000;
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (stdout|stderr|system) (.*)$/;

let dataDir: string;
let finishedRun: RunWithSteps;

async function addPipeline(pipeline: unknown): Promise<string> {
  const response = await createPipeline(apiRequest('POST', '/api/pipelines', { pipeline }), routeParams({}));
  return ((await response.json()) as { id: string }).id;
}

async function submit(pipelineId: string): Promise<RunRecord> {
  const response = await startRun(apiRequest('POST', '/api/runs', { pipelineId }), routeParams({}));
  expect(response.status).toBe(201);
  return (await response.json()) as RunRecord;
}

function getLog(runId: string, stepId: string, query = '', signal?: AbortSignal): Promise<Response> {
  const request = new Request(`http://localhost:3000/api/runs/${runId}/steps/${stepId}/logs${query}`, { signal });
  return GET(request, routeParams({ id: runId, stepId }));
}

/** Stream lines without their timestamps, e.g. `stdout hello`. */
function entries(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = LINE.exec(line);
      expect(match, line).not.toBeNull();
      return `${match![1]} ${match![2]}`;
    })
    .filter((entry) => !entry.startsWith('system '));
}

function waitForAttempt(runId: string, stepId: string): Promise<void> {
  return getEngine().then(
    (engine) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const step = getStore().getRun(runId)?.steps.find((candidate) => candidate.stepId === stepId);
          if ((step?.attempts.length ?? 0) > 0) {
            unsubscribe();
            resolve();
          }
        };
        const unsubscribe = engine.subscribe(check);
        check();
      }),
  );
}

beforeAll(async () => {
  process.env.PIPEDECK_LOG_LEVEL = 'silent';
  dataDir = await useTemporaryDataDir('pipedeck-logs-api-');
  const pipelineId = await addPipeline({
    name: 'talk',
    steps: [{ id: 'talk', name: 'Talk', image: 'busybox', command: ['sh', '-c', 'echo hello; echo oops >&2; echo "héllo ✓"'] }],
  });
  const run = await submit(pipelineId);
  finishedRun = await (await getEngine()).waitForRun(run.id, RUN_TIMEOUT_MS);
  expect(finishedRun.status).toBe('succeeded');
});

afterAll(async () => {
  await removeTemporaryDataDir(dataDir);
});

describe('GET logs', () => {
  it('returns the whole log of a finished attempt', async () => {
    const response = await getLog(finishedRun.id, 'talk');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);

    expect(entries(text).filter((entry) => entry.startsWith('stdout'))).toEqual(['stdout hello', 'stdout héllo ✓']);
    expect(entries(text).filter((entry) => entry.startsWith('stderr'))).toEqual(['stderr oops']);
    expect(response.headers.get('x-attempt')).toBe('1');
    expect(response.headers.get('x-attempt-finished')).toBe('true');
    expect(response.headers.get('x-step-status')).toBe('succeeded');
    expect(response.headers.get('x-log-offset')).toBe(String(bytes.byteLength));
    expect(response.headers.get('x-log-size')).toBe(String(bytes.byteLength));
  });

  it('returns only the bytes after offset', async () => {
    const whole = Buffer.from(await (await getLog(finishedRun.id, 'talk')).arrayBuffer());
    const firstLineEnd = whole.indexOf(0x0a) + 1;

    const response = await getLog(finishedRun.id, 'talk', `?offset=${firstLineEnd}`);
    const rest = Buffer.from(await response.arrayBuffer());
    expect(rest.equals(whole.subarray(firstLineEnd))).toBe(true);
    expect(response.headers.get('x-log-offset')).toBe(String(whole.byteLength));

    const atEnd = await getLog(finishedRun.id, 'talk', `?offset=${whole.byteLength}`);
    expect(atEnd.status).toBe(200);
    expect(await atEnd.text()).toBe('');
    expect(atEnd.headers.get('x-log-offset')).toBe(String(whole.byteLength));
  });

  it('rejects an offset past the end', async () => {
    const size = Number((await getLog(finishedRun.id, 'talk')).headers.get('x-log-size'));
    const response = await getLog(finishedRun.id, 'talk', `?offset=${size + 1}`);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: `offset ${size + 1} is past the end of the log (${size} bytes); pass the x-log-offset value of the previous response`,
      details: { size },
    });
  });

  it('reads an attempt by number', async () => {
    const first = await getLog(finishedRun.id, 'talk', '?attempt=1');
    expect(first.status).toBe(200);
    const missing = await getLog(finishedRun.id, 'talk', '?attempt=2');
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({
      code: 'not_found',
      message: `step talk of run ${finishedRun.id} has no attempt 2; it has 1`,
    });
  });

  it('rejects bad query values', async () => {
    const attempt = await getLog(finishedRun.id, 'talk', '?attempt=0');
    expect(attempt.status).toBe(400);
    expect((await errorOf(attempt)).message).toBe('attempt: Too small: expected number to be >=1');
    const offset = await getLog(finishedRun.id, 'talk', '?offset=-5');
    expect(offset.status).toBe(400);
    expect((await errorOf(offset)).message).toBe('offset: Too small: expected number to be >=0');
  });

  it('returns 404 JSON for an unknown run or step', async () => {
    const run = await getLog('nosuchrun', 'talk');
    expect(run.status).toBe(404);
    expect(await errorOf(run)).toEqual({ code: 'not_found', message: 'run nosuchrun not found' });

    const step = await getLog(finishedRun.id, 'nosuchstep');
    expect(step.status).toBe(404);
    expect(await errorOf(step)).toEqual({ code: 'not_found', message: `step nosuchstep not found in run ${finishedRun.id}` });

    const traversal = await getLog(finishedRun.id, '..%2F..%2Fetc');
    expect(traversal.status).toBe(404);
  });
});

describe('GET logs while running', () => {
  it('returns empty for a pending step, then follows', async () => {
    const pipelineId = await addPipeline({
      name: 'chain',
      steps: [
        { id: 'first', name: 'First', image: 'busybox', command: ['sh', '-c', 'echo one; sleep 1; echo two'] },
        { id: 'second', name: 'Second', image: 'busybox', command: ['sh', '-c', 'echo three; sleep 1; echo four'], dependsOn: ['first'] },
      ],
    });
    const run = await submit(pipelineId);

    const pending = await getLog(run.id, 'second');
    expect(pending.status).toBe(200);
    expect(await pending.text()).toBe('');
    expect(pending.headers.get('x-attempt-finished')).toBe('false');
    expect(pending.headers.get('x-attempt')).toBe('');
    expect(pending.headers.get('x-log-offset')).toBe('0');

    const [firstFollow, secondFollow] = await Promise.all([getLog(run.id, 'first', '?follow=1'), getLog(run.id, 'second', '?follow=1')]);
    expect(firstFollow.status).toBe(200);
    expect(secondFollow.status).toBe(200);
    const [firstText, secondText] = await Promise.all([firstFollow.text(), secondFollow.text()]);

    expect(entries(firstText)).toEqual(['stdout one', 'stdout two']);
    expect(entries(secondText)).toEqual(['stdout three', 'stdout four']);
    const finished = await (await getEngine()).waitForRun(run.id, RUN_TIMEOUT_MS);
    expect(finished.status).toBe('succeeded');
  });

  it('follows from an offset and ends for a finished attempt', async () => {
    const whole = Buffer.from(await (await getLog(finishedRun.id, 'talk')).arrayBuffer());
    const firstLineEnd = whole.indexOf(0x0a) + 1;
    const response = await getLog(finishedRun.id, 'talk', `?follow=1&offset=${firstLineEnd}`);
    expect(response.headers.get('x-log-offset')).toBe(String(firstLineEnd));
    expect(response.headers.get('x-attempt-finished')).toBe('true');
    expect(Buffer.from(await response.arrayBuffer()).equals(whole.subarray(firstLineEnd))).toBe(true);
  });

  it('stops following when the client disconnects', async () => {
    const pipelineId = await addPipeline({
      name: 'long',
      steps: [{ id: 'long', name: 'Long', image: 'busybox', command: ['sh', '-c', 'echo started; sleep 60'] }],
    });
    const run = await submit(pipelineId);
    await waitForAttempt(run.id, 'long');

    const client = new AbortController();
    const response = await getLog(run.id, 'long', '?follow=1', client.signal);
    expect(response.headers.get('x-attempt-finished')).toBe('false');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('started')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      received += decoder.decode(value, { stream: true });
    }
    expect(entries(received)).toEqual(['stdout started']);

    client.abort();
    const end = await reader.read();
    expect(end.done).toBe(true);

    await cancelRun(apiRequest('POST', `/api/runs/${run.id}/cancel`), routeParams({ id: run.id }));
    expect((await (await getEngine()).waitForRun(run.id, RUN_TIMEOUT_MS)).status).toBe('cancelled');
  });
});
