/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * The state every route handler of the stand-in works on.
 */
import type { FaultInjector } from './faults';
import type { Kubelet } from './kubelet';
import type { ResourceStore, ResourceVersionClock } from './resource-store';
import type { EventObject, PersistentVolumeClaimObject, PodObject } from './types';
import type { OpenWatch } from './watch-stream';

export interface StandinContext {
  clock: ResourceVersionClock;
  pods: ResourceStore<PodObject>;
  events: ResourceStore<EventObject>;
  claims: ResourceStore<PersistentVolumeClaimObject>;
  /** Host directory of each claim, by `namespace/name`. */
  claimDirectories: Map<string, string>;
  kubelet: Kubelet;
  faults: FaultInjector;
  namespaces: Set<string>;
  openWatches: Set<OpenWatch>;
  rootDir: string;
  bookmarkIntervalMs: number;
  /** Every pod name ever created, in order, including pods since deleted. */
  createdPodNames: string[];
}
