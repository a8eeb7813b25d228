import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_JSON_BODY_BYTES } from '@/lib/server/api';
import { getStore } from '@/lib/server/context';
import { duplicatePipeline, renamePipeline } from '@/lib/server/pipelines-service';
import { apiRequest, errorOf, removeTemporaryDataDir, routeParams, useTemporaryDataDir } from '@/lib/server/test-support';
import type { PipelineRecord, PipelineVersionRecord } from '@/lib/store/types';
import { DELETE, GET as getOne, PUT } from './[id]/route';
import { GET as getVersions } from './[id]/versions/route';
import { GET as list, POST } from './route';

const helloPipeline = {
  name: 'hello',
  steps: [{ id: 'say', name: 'Say hello', image: 'busybox', command: ['echo', 'hello'] }],
};

let dataDir: string;

beforeAll(async () => {
  process.env.PIPEDECK_LOG_LEVEL = 'silent';
  dataDir = await useTemporaryDataDir();
});

afterAll(async () => {
  await removeTemporaryDataDir(dataDir);
});

async function create(pipeline: unknown = helloPipeline): Promise<PipelineRecord> {
  const response = await POST(apiRequest('POST', '/api/pipelines', { pipeline }), routeParams({}));
  expect(response.status).toBe(201);
  return (await response.json()) as PipelineRecord;
}

function pipelineCount(): number {
  return getStore().listPipelines().length;
}

describe('POST /api/pipelines', () => {
  it('creates version 1 with defaults filled in', async () => {
    const created = await create();
    expect(created.version).toBe(1);
    expect(created.name).toBe('hello');
    expect(created.stepCount).toBe(1);
    expect(created.definition.steps[0]).toEqual({
      id: 'say',
      name: 'Say hello',
      kind: 'container',
      image: 'busybox',
      command: ['echo', 'hello'],
      args: [],
      env: [],
      inputs: [],
      outputs: [],
      dependsOn: [],
      position: { x: 0, y: 0 },
    });
    expect(created.definition.description).toBe('');
  });

  it('saves a pipeline with validation problems', async () => {
    const unbound = {
      name: 'work in progress',
      steps: [
        { id: 'a', name: 'A', image: '', command: [], inputs: [{ name: 'data', type: 'string' }], dependsOn: ['b'] },
        { id: 'b', name: 'B', image: 'busybox', command: ['true'], dependsOn: ['a'] },
      ],
    };
    const created = await create(unbound);
    expect(created.definition.steps.map((step) => step.id)).toEqual(['a', 'b']);
  });

  it('rejects a wrong shape with 422 and saves nothing', async () => {
    const before = pipelineCount();
    const bad = { name: 'bad', steps: [{ id: 'Bad_Id', name: 'x', image: 'busybox', command: 'echo' }] };
    const response = await POST(apiRequest('POST', '/api/pipelines', { pipeline: bad }), routeParams({}));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_pipeline');
    expect(error.message).toBe(
      'pipeline is invalid: `steps[0].id` (step `Bad_Id`): must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most 63 (and 1 more problems)',
    );
    const fields = (error.details as { field: string; code: string }[]).map((issue) => [issue.code, issue.field]);
    expect(fields).toEqual([
      ['invalid_field', 'steps[0].id'],
      ['invalid_field', 'steps[0].command'],
    ]);
    expect(pipelineCount()).toBe(before);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await POST(
      apiRequest('POST', '/api/pipelines', '{"pipeline": {', { 'content-type': 'application/json' }),
      routeParams({}),
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_request', message: 'request body is not valid JSON' });
  });

  it('rejects a pipeline of the wrong type', async () => {
    const response = await POST(apiRequest('POST', '/api/pipelines', { pipeline: 'hello' }), routeParams({}));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('pipeline: Invalid input: expected record, received string');
  });

  it('rejects unknown body fields', async () => {
    const response = await POST(apiRequest('POST', '/api/pipelines', { pipeline: helloPipeline, force: true }), routeParams({}));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('(body): Unrecognized key: "force"');
  });

  it('rejects a body over 2 MiB with 413 and saves nothing', async () => {
    const before = pipelineCount();
    const huge = { pipeline: { ...helloPipeline, description: 'x'.repeat(MAX_JSON_BODY_BYTES) } };
    const response = await POST(apiRequest('POST', '/api/pipelines', huge), routeParams({}));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
    expect(pipelineCount()).toBe(before);
  });
});

describe('GET /api/pipelines', () => {
  it('lists created pipelines', async () => {
    const created = await create({ ...helloPipeline, name: 'listed' });
    const response = await list(apiRequest('GET', '/api/pipelines'), routeParams({}));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { pipelines: { id: string; name: string }[] };
    expect(body.pipelines.find((pipeline) => pipeline.id === created.id)?.name).toBe('listed');
    expect(body.pipelines).toHaveLength(pipelineCount());
  });
});

describe('/api/pipelines/:id', () => {
  it('returns a pipeline by id', async () => {
    const created = await create();
    const response = await getOne(apiRequest('GET', `/api/pipelines/${created.id}`), routeParams({ id: created.id }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(created);
  });

  it('returns 404 for an unknown id', async () => {
    const response = await getOne(apiRequest('GET', '/api/pipelines/nosuchpipeline'), routeParams({ id: 'nosuchpipeline' }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'pipeline nosuchpipeline not found' });
  });

  it('returns 404 for an id that is not an id', async () => {
    const response = await getOne(apiRequest('GET', '/api/pipelines/x'), routeParams({ id: '../../etc/passwd' }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      code: 'not_found',
      message: 'pipeline not found: ids are lower-case letters, digits and "-"',
    });
  });

  it('saves a new version on PUT and lists versions', async () => {
    const created = await create();
    const renamed = { ...helloPipeline, name: 'hello v2' };
    const response = await PUT(
      apiRequest('PUT', `/api/pipelines/${created.id}`, { pipeline: renamed, expectedVersion: 1 }),
      routeParams({ id: created.id }),
    );
    expect(response.status).toBe(200);
    const saved = (await response.json()) as PipelineRecord;
    expect(saved.version).toBe(2);
    expect(saved.name).toBe('hello v2');

    const versionsResponse = await getVersions(apiRequest('GET', `/api/pipelines/${created.id}/versions`), routeParams({ id: created.id }));
    const { versions } = (await versionsResponse.json()) as { versions: PipelineVersionRecord[] };
    expect(versions.map((version) => [version.version, version.definition.name])).toEqual([
      [2, 'hello v2'],
      [1, 'hello'],
    ]);
  });

  it('rejects a stale expectedVersion with 409 and keeps the newer save', async () => {
    const created = await create();
    const first = await PUT(
      apiRequest('PUT', `/api/pipelines/${created.id}`, { pipeline: { ...helloPipeline, name: 'first' }, expectedVersion: 1 }),
      routeParams({ id: created.id }),
    );
    expect(first.status).toBe(200);

    const stale = await PUT(
      apiRequest('PUT', `/api/pipelines/${created.id}`, { pipeline: { ...helloPipeline, name: 'stale' }, expectedVersion: 1 }),
      routeParams({ id: created.id }),
    );
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toEqual({
      code: 'conflict',
      message: `pipeline ${created.id} was saved as version 2 after version 1 was loaded; reload it and apply your changes again`,
      details: { currentVersion: 2 },
    });
    expect(getStore().listPipelineVersions(created.id)).toHaveLength(2);
    expect(getStore().getPipeline(created.id)?.name).toBe('first');
  });

  it('rejects a wrong shape on PUT and keeps the version', async () => {
    const created = await create();
    const response = await PUT(
      apiRequest('PUT', `/api/pipelines/${created.id}`, { pipeline: { name: '', steps: [] } }),
      routeParams({ id: created.id }),
    );
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toBe('pipeline is invalid: `name`: must not be empty');
    expect(getStore().listPipelineVersions(created.id)).toHaveLength(1);
  });

  it('rejects a non-integer expectedVersion', async () => {
    const created = await create();
    const response = await PUT(
      apiRequest('PUT', `/api/pipelines/${created.id}`, { pipeline: helloPipeline, expectedVersion: '1' }),
      routeParams({ id: created.id }),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('expectedVersion: Invalid input: expected number, received string');
  });

  it('returns 404 on PUT to an unknown id', async () => {
    const response = await PUT(
      apiRequest('PUT', '/api/pipelines/nosuchpipeline', { pipeline: helloPipeline }),
      routeParams({ id: 'nosuchpipeline' }),
    );
    expect(response.status).toBe(404);
  });

  it('deletes with 204, then answers 404', async () => {
    const created = await create();
    const deleted = await DELETE(apiRequest('DELETE', `/api/pipelines/${created.id}`), routeParams({ id: created.id }));
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');

    const after = await getOne(apiRequest('GET', `/api/pipelines/${created.id}`), routeParams({ id: created.id }));
    expect(after.status).toBe(404);
    const again = await DELETE(apiRequest('DELETE', `/api/pipelines/${created.id}`), routeParams({ id: created.id }));
    expect(again.status).toBe(404);
    const versions = await getVersions(apiRequest('GET', `/api/pipelines/${created.id}/versions`), routeParams({ id: created.id }));
    expect(versions.status).toBe(404);
  });
});

describe('pipelines service', () => {
  it('renames by saving a new version', async () => {
    const created = await create();
    const renamed = renamePipeline(created.id, 'renamed');
    expect(renamed.version).toBe(2);
    expect(renamed.definition.name).toBe('renamed');
    expect(renamed.definition.steps).toEqual(created.definition.steps);
  });

  it('rejects an empty name', async () => {
    const created = await create();
    expect(() => renamePipeline(created.id, '   ')).toThrow('pipeline is invalid: `name`: must not be empty');
    expect(getStore().listPipelineVersions(created.id)).toHaveLength(1);
  });

  it('duplicates as a new pipeline named "(copy)"', async () => {
    const created = await create();
    const copy = duplicatePipeline(created.id);
    expect(copy.id).not.toBe(created.id);
    expect(copy.version).toBe(1);
    expect(copy.name).toBe('hello (copy)');
    expect(copy.definition.steps).toEqual(created.definition.steps);
  });

  it('keeps a duplicated long name within 200 characters', async () => {
    const created = await create({ ...helloPipeline, name: 'n'.repeat(200) });
    const copy = duplicatePipeline(created.id);
    expect(copy.name).toBe(`${'n'.repeat(193)} (copy)`);
  });
});
