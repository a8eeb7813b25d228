/** GET /api/runs/:id: the run with its steps, their attempts, outputs and timestamps. */
import { jsonResponse, withApi } from '@/lib/server/api';
import { getRun } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse(getRun(id));
});
