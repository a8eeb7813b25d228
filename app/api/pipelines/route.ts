/** GET /api/pipelines lists pipelines; POST /api/pipelines `{pipeline}` creates one (201). */
import { z } from 'zod';

import { jsonResponse, readJsonBody, withApi } from '@/lib/server/api';
import { createPipeline, listPipelines } from '@/lib/server/pipelines-service';

export const dynamic = 'force-dynamic';

const createBodySchema = z.object({ pipeline: z.record(z.string(), z.unknown()) }).strict();

export const GET = withApi(async () => jsonResponse({ pipelines: listPipelines() }));

export const POST = withApi(async (request) => {
  const body = createBodySchema.parse(await readJsonBody(request));
  return jsonResponse(createPipeline(body.pipeline), { status: 201 });
});
