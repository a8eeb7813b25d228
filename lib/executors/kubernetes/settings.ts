/**
 * Settings of the kubernetes executor, read from environment variables. Durations are in seconds in
 * the environment and in milliseconds in code, so tests can use short grace periods.
 */
import { z } from 'zod';

/** Which finished pods the executor deletes. Cancelled pods and pods that never ran are always deleted. */
export const POD_CLEANUP_POLICIES = ['on-success', 'always', 'never'] as const;
export type PodCleanupPolicy = (typeof POD_CLEANUP_POLICIES)[number];

/** Where artifacts live: a claim created per run from a storage class, one existing claim, or none. */
export type ArtifactStorage =
  | { kind: 'per-run-claim'; storageClass: string; size: string; accessMode: string }
  | { kind: 'shared-claim'; claimName: string }
  | { kind: 'none' };

export interface KubernetesSettings {
  /** From PIPEDECK_NAMESPACE; undefined means the kubeconfig context's namespace, else `default`. */
  namespace: string | undefined;
  podCleanup: PodCleanupPolicy;
  artifacts: ArtifactStorage;
  /** How long an image or container-config error may last before the attempt fails. */
  imageErrorGraceMs: number;
  /** How long a pod may stay unschedulable before the attempt fails (autoscalers need minutes). */
  unschedulableGraceMs: number;
  /** Directory with `token`, `ca.crt` and `namespace` for in-cluster config. */
  serviceAccountDir: string;
}

/** Where Kubernetes mounts a pod's service-account token, CA and namespace. */
export const DEFAULT_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(k|Ki|M|Mi|G|Gi|T|Ti)?$/;

const seconds = z
  .string()
  .regex(/^\d{1,7}$/, 'must be a whole number of seconds')
  .transform((value) => Number(value) * 1000);

const environmentSchema = z.object({
  PIPEDECK_NAMESPACE: z.string().regex(DNS_LABEL, 'must be a Kubernetes namespace name (a DNS-1123 label)').optional(),
  PIPEDECK_K8S_POD_CLEANUP: z.enum(POD_CLEANUP_POLICIES, { error: `must be one of ${POD_CLEANUP_POLICIES.join(', ')}` }).default('on-success'),
  PIPEDECK_K8S_STORAGE_CLASS: z.string().regex(DNS_SUBDOMAIN, 'must be a storage class name (a DNS-1123 subdomain)').optional(),
  PIPEDECK_K8S_ARTIFACT_CLAIM: z.string().regex(DNS_SUBDOMAIN, 'must be a PersistentVolumeClaim name (a DNS-1123 subdomain)').optional(),
  PIPEDECK_K8S_ARTIFACT_SIZE: z.string().regex(QUANTITY, 'must be a storage quantity such as 1Gi or 500Mi').default('1Gi'),
  PIPEDECK_K8S_ARTIFACT_ACCESS_MODE: z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod']).default('ReadWriteOnce'),
  PIPEDECK_K8S_IMAGE_ERROR_GRACE_SECONDS: seconds.default(60_000),
  PIPEDECK_K8S_UNSCHEDULABLE_GRACE_SECONDS: seconds.default(300_000),
  PIPEDECK_K8S_SERVICEACCOUNT_DIR: z.string().min(1).default(DEFAULT_SERVICE_ACCOUNT_DIR),
});

/**
 * Parses the executor's settings from `env`; empty variables count as unset.
 *
 * @throws Error naming every invalid variable and how to fix it.
 */
export function parseKubernetesSettings(env: Record<string, string | undefined>): KubernetesSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`invalid kubernetes executor configuration: ${problems.join('; ')}`);
  }

  const values = result.data;
  if (values.PIPEDECK_K8S_STORAGE_CLASS && values.PIPEDECK_K8S_ARTIFACT_CLAIM) {
    throw new Error(
      'invalid kubernetes executor configuration: set either PIPEDECK_K8S_STORAGE_CLASS (a claim per run) or PIPEDECK_K8S_ARTIFACT_CLAIM (one existing claim), not both',
    );
  }

  let artifacts: ArtifactStorage = { kind: 'none' };
  if (values.PIPEDECK_K8S_ARTIFACT_CLAIM) artifacts = { kind: 'shared-claim', claimName: values.PIPEDECK_K8S_ARTIFACT_CLAIM };
  if (values.PIPEDECK_K8S_STORAGE_CLASS) {
    artifacts = {
      kind: 'per-run-claim',
      storageClass: values.PIPEDECK_K8S_STORAGE_CLASS,
      size: values.PIPEDECK_K8S_ARTIFACT_SIZE,
      accessMode: values.PIPEDECK_K8S_ARTIFACT_ACCESS_MODE,
    };
  }

  return {
    namespace: values.PIPEDECK_NAMESPACE,
    podCleanup: values.PIPEDECK_K8S_POD_CLEANUP,
    artifacts,
    imageErrorGraceMs: values.PIPEDECK_K8S_IMAGE_ERROR_GRACE_SECONDS,
    unschedulableGraceMs: values.PIPEDECK_K8S_UNSCHEDULABLE_GRACE_SECONDS,
    serviceAccountDir: values.PIPEDECK_K8S_SERVICEACCOUNT_DIR,
  };
}
