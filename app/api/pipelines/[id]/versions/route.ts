/** GET /api/pipelines/:id/versions: every saved version, newest first. */
import { jsonResponse, withApi } from '@/lib/server/api';
import { listPipelineVersions } from '@/lib/server/pipelines-service';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse({ versions: listPipelineVersions(id) });
});
