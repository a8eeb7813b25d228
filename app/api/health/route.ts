/** GET /api/health: liveness and the executors this server can use. */
import packageJson from '@/package.json';
import { jsonResponse, withApi } from '@/lib/server/api';
import { listExecutors } from '@/lib/server/runs-service';

export const dynamic = 'force-dynamic';

export const GET = withApi(async () => {
  const executors = await listExecutors();
  return jsonResponse({ status: 'ok', version: packageJson.version, executors });
});
