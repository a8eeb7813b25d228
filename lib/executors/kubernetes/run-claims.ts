/**
 * Creating a run's artifact claim (PersistentVolumeClaim) from the configured storage class, once
 * per run. Claims are kept after the run so its artifacts stay readable by later steps and reruns;
 * they carry the run label, so `kubectl delete pvc -l pipedeck.dev/run=RUN` removes one run's claim.
 */
import type { CoreV1Api, V1PersistentVolumeClaim } from '@kubernetes/client-node';

import { describeApiError } from './api-error';
import type { RunVolume } from './container-paths';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, RUN_ANNOTATION, RUN_LABEL, labelValue } from './pod-names';
import type { ArtifactStorage } from './settings';

export class RunClaims {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
  ) {}

  /** Creates the run's claim unless it exists; concurrent calls for one run share one request. */
  ensure(runId: string, volume: RunVolume, storage: Extract<ArtifactStorage, { kind: 'per-run-claim' }>): Promise<void> {
    let pending = this.ensured.get(runId);
    if (!pending) {
      pending = this.create(runId, volume, storage);
      this.ensured.set(runId, pending);
      // A failed creation is tried again by the next step.
      pending.catch(() => this.ensured.delete(runId));
    }
    return pending;
  }

  private async create(runId: string, volume: RunVolume, storage: Extract<ArtifactStorage, { kind: 'per-run-claim' }>): Promise<void> {
    const body: V1PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: volume.claimName,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_LABEL]: labelValue(runId) },
        annotations: { [RUN_ANNOTATION]: runId },
      },
      spec: {
        accessModes: [storage.accessMode],
        storageClassName: storage.storageClass,
        resources: { requests: { storage: storage.size } },
      },
    };
    try {
      await this.core.createNamespacedPersistentVolumeClaim({ namespace: this.namespace, body });
    } catch (error) {
      const problem = describeApiError(error);
      if (problem.status === 409) return;
      throw new Error(`creating the run's artifact claim ${volume.claimName} failed: ${problem.message}`);
    }
  }
}
