/**
 * GET /api/cluster: the Kubernetes cluster this server is configured for (kubeconfig context or
 * in-cluster service account, API server, namespace) and whether it responds, with the API server's
 * own message when it does not. `source: 'none'` means no cluster is configured.
 */
import { describeCluster } from '@/lib/executors/kubernetes/client';
import { jsonResponse, withApi } from '@/lib/server/api';

export const dynamic = 'force-dynamic';

export const GET = withApi(async () => jsonResponse(await describeCluster()));
