/** POST /api/runs/:id/retry: starts a new run with the same pipeline version, parameters and executor (201). */
import { jsonResponse, withApi } from '@/lib/server/api';
import { rerun } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

export const POST = withApi<{ id: string }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse(await rerun(id), { status: 201 });
});
