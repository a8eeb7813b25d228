'use client';

import { useQuery } from '@tanstack/react-query';

import type { ClusterDescription } from '@/lib/executors/kubernetes/client';

/** How often the cluster is checked again, in milliseconds, while it responds or is not configured. */
const RECHECK_INTERVAL_MS = 60_000;
/** How often an unreachable cluster is checked again, so the banner goes away soon after it responds. */
const UNREACHABLE_RECHECK_INTERVAL_MS = 15_000;

async function fetchCluster(): Promise<ClusterDescription> {
  const response = await fetch('/api/cluster', { cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as (ClusterDescription & { error?: { message?: string } }) | null;
  if (!response.ok || !body || typeof body.source !== 'string') {
    throw new Error(body?.error?.message ?? `GET /api/cluster failed with HTTP ${response.status}`);
  }
  return body;
}

/**
 * Fetches GET /api/cluster for the top-bar indicator and the banner, which share one React Query
 * entry. While the request fails (e.g. before login) `data` stays undefined and neither shows.
 */
export function useClusterDescription() {
  return useQuery({
    queryKey: ['cluster'],
    queryFn: fetchCluster,
    refetchInterval: (query) =>
      query.state.data?.source !== 'none' && query.state.data?.reachable === false ? UNREACHABLE_RECHECK_INTERVAL_MS : RECHECK_INTERVAL_MS,
  });
}

/** Returns the name people know the cluster by: the kubeconfig context, or "in-cluster" inside a pod. */
export function clusterLabel(cluster: ClusterDescription): string {
  if (cluster.source === 'in-cluster') return 'in-cluster';
  return cluster.context ?? 'cluster';
}

/**
 * Top-bar indicator of the Kubernetes cluster Pipedeck launches pods on: context and namespace with
 * a green dot when the cluster responds, a red one when it does not. Renders nothing when no cluster
 * is configured, while loading, and when the request fails.
 */
export function ClusterStatus() {
  const cluster = useClusterDescription().data;
  if (!cluster || cluster.source === 'none') return null;

  const reachable = cluster.reachable;
  const title = [
    `Kubernetes API server: ${cluster.server ?? 'unknown'}`,
    `Configured from: ${cluster.source === 'in-cluster' ? 'the pod service account' : 'kubeconfig'}`,
    reachable ? 'Reachable' : `Not reachable: ${cluster.message ?? 'no message'}`,
  ].join('\n');

  return (
    <p
      title={title}
      aria-label={`Kubernetes cluster ${clusterLabel(cluster)}, namespace ${cluster.namespace ?? 'unknown'}, ${reachable ? 'reachable' : 'not reachable'}`}
      data-testid="cluster-status"
      data-reachable={reachable ? 'true' : 'false'}
      className="flex items-center gap-1.5 rounded border border-slate-200 px-2 py-0.5 text-xs text-slate-700"
    >
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${reachable ? 'bg-green-600' : 'bg-red-600'}`} />
      <span className="font-medium">{clusterLabel(cluster)}</span>
      <span className="text-slate-400">/</span>
      <span>{cluster.namespace}</span>
      {reachable ? null : <span className="font-medium text-red-700">unreachable</span>}
    </p>
  );
}
