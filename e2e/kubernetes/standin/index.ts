/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * `startKubernetesStandin()` serves, on 127.0.0.1 with a bearer token:
 * - pods: create (with validation and defaults), get, list and watch (label and field selectors,
 *   resourceVersion, bookmarks, 410 Expired when too old), delete (graceful) and deletecollection;
 * - pods/log with follow, timestamps (RFC3339Nano), sinceTime (whole seconds), tailLines;
 * - events (list and watch, field selectors), namespaces/{name}, persistentvolumeclaims;
 * - /version, /api, /api/v1, /apis.
 * A kubelet runs each pod's command as a local process and reports real phases, container
 * states and events. `standin.faults` injects image pull errors, config errors, OOM kills,
 * evictions, node loss, scheduling failures, watch expiry and stalls, API errors and cut logs.
 */
export { startKubernetesStandin, type KubernetesStandin, type StandinOptions } from './standin';
export { FaultInjector, type PodMatch, type RequestFault } from './faults';
export { CallLog, type CallKind, type CallRecord } from './call-log';
export type { ServiceAccountFiles } from './credentials';
export type { EventObject, PersistentVolumeClaimObject, PodObject, StatusObject } from './types';
