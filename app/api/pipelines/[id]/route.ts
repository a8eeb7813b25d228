/**
 * GET /api/pipelines/:id returns the latest version; PUT `{pipeline, expectedVersion?}` saves a new
 * version (409 when `expectedVersion` is stale); DELETE removes the pipeline (204).
 */
import { z } from 'zod';

import { jsonResponse, readJsonBody, withApi } from '@/lib/server/api';
import { deletePipeline, getPipeline, savePipeline } from '@/lib/server/pipelines-service';

export const dynamic = 'force-dynamic';

type Params = { id: string };

const saveBodySchema = z
  .object({
    pipeline: z.record(z.string(), z.unknown()),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

export const GET = withApi<Params>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse(getPipeline(id));
});

export const PUT = withApi<Params>(async (request, { params }) => {
  const { id } = await params;
  const body = saveBodySchema.parse(await readJsonBody(request));
  return jsonResponse(savePipeline(id, body.pipeline, body.expectedVersion));
});

export const DELETE = withApi<Params>(async (_request, { params }) => {
  const { id } = await params;
  deletePipeline(id);
  return new Response(null, { status: 204 });
});
