/**
 * POST /api/runs `{pipelineId, version?, parameters?, executor?}` starts a run (201);
 * GET /api/runs?pipelineId=&status=&limit=&cursor= lists runs newest first, `{runs, nextCursor}`.
 */
import { jsonResponse, readJsonBody, withApi } from '@/lib/server/api';
import { listRuns, startRun } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

const QUERY_KEYS = ['pipelineId', 'status', 'limit', 'cursor'] as const;

export const GET = withApi(async (request) => {
  const searchParams = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  for (const key of QUERY_KEYS) {
    const value = searchParams.get(key);
    if (value !== null && value !== '') query[key] = value;
  }
  return jsonResponse(listRuns(query));
});

export const POST = withApi(async (request) => {
  const run = await startRun(await readJsonBody(request));
  return jsonResponse(run, { status: 201 });
});
