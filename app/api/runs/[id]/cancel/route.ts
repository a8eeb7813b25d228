/** POST /api/runs/:id/cancel: stops the run's running steps; pending steps never start. */
import { jsonResponse, withApi } from '@/lib/server/api';
import { cancelRun } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

export const POST = withApi<{ id: string }>(async (_request, { params }) => {
  const { id } = await params;
  return jsonResponse(await cancelRun(id));
});
