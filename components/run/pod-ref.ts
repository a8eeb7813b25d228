import type { JsonValue } from '@/lib/pipeline/schema';

/** The pod an attempt ran in on the kubernetes executor. */
export interface PodRef {
  namespace: string;
  podName: string;
}

/**
 * Reads the pod from an attempt's `executorRef`, which the kubernetes executor stores as
 * `{podName, namespace}`. Returns null for other executors and for refs without both names.
 */
export function podRefOf(executor: string, executorRef: JsonValue | null | undefined): PodRef | null {
  if (executor !== 'kubernetes') return null;
  if (executorRef === null || executorRef === undefined || typeof executorRef !== 'object' || Array.isArray(executorRef)) return null;

  const { podName, namespace } = executorRef;
  if (typeof podName !== 'string' || podName === '' || typeof namespace !== 'string' || namespace === '') return null;
  return { namespace, podName };
}
