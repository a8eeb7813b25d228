/** GET /api/executors: each executor and whether it can run steps now (and if not, why). */
import { jsonResponse, withApi } from '@/lib/server/api';
import { listExecutors } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

export const GET = withApi(async () => jsonResponse({ executors: await listExecutors() }));
