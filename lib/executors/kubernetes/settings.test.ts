import { describe, expect, it } from 'vitest';

import { parseKubernetesSettings } from './settings';

describe('parseKubernetesSettings', () => {
  it('has safe defaults', () => {
    expect(parseKubernetesSettings({})).toEqual({
      namespace: undefined,
      podCleanup: 'on-success',
      artifacts: { kind: 'none' },
      imageErrorGraceMs: 60_000,
      unschedulableGraceMs: 300_000,
      serviceAccountDir: '/var/run/secrets/kubernetes.io/serviceaccount',
    });
  });

  it('reads every variable', () => {
    const settings = parseKubernetesSettings({
      PIPEDECK_NAMESPACE: 'ml',
      PIPEDECK_K8S_POD_CLEANUP: 'never',
      PIPEDECK_K8S_STORAGE_CLASS: 'fast-ssd',
      PIPEDECK_K8S_ARTIFACT_SIZE: '5Gi',
      PIPEDECK_K8S_ARTIFACT_ACCESS_MODE: 'ReadWriteMany',
      PIPEDECK_K8S_IMAGE_ERROR_GRACE_SECONDS: '5',
      PIPEDECK_K8S_UNSCHEDULABLE_GRACE_SECONDS: '7',
      PIPEDECK_K8S_SERVICEACCOUNT_DIR: '/tmp/sa',
    });
    expect(settings).toEqual({
      namespace: 'ml',
      podCleanup: 'never',
      artifacts: { kind: 'per-run-claim', storageClass: 'fast-ssd', size: '5Gi', accessMode: 'ReadWriteMany' },
      imageErrorGraceMs: 5000,
      unschedulableGraceMs: 7000,
      serviceAccountDir: '/tmp/sa',
    });
  });

  it('reads an existing claim', () => {
    expect(parseKubernetesSettings({ PIPEDECK_K8S_ARTIFACT_CLAIM: 'pipedeck-artifacts' }).artifacts).toEqual({ kind: 'shared-claim', claimName: 'pipedeck-artifacts' });
  });

  it('rejects a storage class and a claim together', () => {
    expect(() => parseKubernetesSettings({ PIPEDECK_K8S_STORAGE_CLASS: 'a', PIPEDECK_K8S_ARTIFACT_CLAIM: 'b' })).toThrow(/not both/);
  });

  it('names each invalid variable', () => {
    expect(() => parseKubernetesSettings({ PIPEDECK_K8S_POD_CLEANUP: 'sometimes', PIPEDECK_NAMESPACE: 'Bad_NS' })).toThrow(
      'invalid kubernetes executor configuration: PIPEDECK_NAMESPACE must be a Kubernetes namespace name (a DNS-1123 label); PIPEDECK_K8S_POD_CLEANUP must be one of on-success, always, never',
    );
  });

  it('treats empty variables as unset', () => {
    expect(parseKubernetesSettings({ PIPEDECK_K8S_POD_CLEANUP: '', PIPEDECK_NAMESPACE: '' }).podCleanup).toBe('on-success');
  });
});
