/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * The scheduler's fit check on the stand-in's single node: a pod whose summed requests exceed
 * the node's allocatable resources stays Pending, Unschedulable, with the scheduler's message.
 * NOTE: each pod is checked against the whole node; requests of other running pods are not
 * subtracted, so many pods never queue for capacity as on a real node.
 */
import type { PodObject } from './types';

/** Allocatable resources of the stand-in's node, as quantities (`8`, `500m`, `32Gi`). */
export type NodeCapacity = Record<string, string>;

export const DEFAULT_NODE_CAPACITY: NodeCapacity = { cpu: '8', memory: '32Gi', 'ephemeral-storage': '100Gi' };

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Parses a resource.Quantity string; returns NaN for what it cannot read. */
export function parseQuantity(quantity: string): number {
  const match = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ''] ?? Number.NaN);
}

/** Sum of container requests per resource; a resource with only a limit requests the limit, as the API server defaults it. */
function podRequests(pod: PodObject): Map<string, number> {
  const totals = new Map<string, number>();
  for (const container of pod.spec.containers) {
    const requests = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
    for (const [resource, quantity] of Object.entries(requests)) {
      totals.set(resource, (totals.get(resource) ?? 0) + parseQuantity(quantity));
    }
  }
  return totals;
}

/** The FailedScheduling message when the pod does not fit, else undefined. */
export function unschedulableMessage(pod: PodObject, capacity: NodeCapacity): string | undefined {
  const insufficient: string[] = [];
  for (const [resource, requested] of podRequests(pod)) {
    const available = capacity[resource] === undefined ? 0 : parseQuantity(capacity[resource]);
    if (!(requested <= available)) insufficient.push(`1 Insufficient ${resource}`);
  }
  if (insufficient.length === 0) return undefined;
  return `0/1 nodes are available: ${insufficient.join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}
