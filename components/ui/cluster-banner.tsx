'use client';

import { Button } from '@/components/ui/button';

import { clusterLabel, useClusterDescription } from './cluster-status';

/**
 * Full-width warning under the top bar while the configured Kubernetes cluster does not respond,
 * with the API server's own message. Renders nothing while the cluster responds or when none is
 * configured.
 */
export function ClusterBanner() {
  const query = useClusterDescription();
  const cluster = query.data;
  if (!cluster || cluster.source === 'none' || cluster.reachable) return null;

  return (
    <div role="alert" data-testid="cluster-banner" className="flex items-start gap-3 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          The Kubernetes cluster {clusterLabel(cluster)} (namespace {cluster.namespace}) is not usable right now. Steps on
          the kubernetes executor cannot start until it answers normally.
        </p>
        {cluster.message ? <p className="mt-0.5 break-words font-mono text-xs">{cluster.message}</p> : null}
      </div>
      <Button size="sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
        {query.isFetching ? 'Checking…' : 'Check again'}
      </Button>
    </div>
  );
}
