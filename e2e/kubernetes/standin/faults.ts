/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Fault injection. A test arms a fault for the pods it matches (by name, name pattern, labels or
 * a predicate), optionally only `times` of them, or for the next calls of one kind. The kubelet,
 * the watch and the routes take a fault when it applies; a taken fault is used up.
 */
import type { CallKind } from './call-log';
import type { PodObject } from './types';

/** Which pods a fault hits: an exact name, a name pattern, labels that must all match, or a predicate. */
export type PodMatch = string | RegExp | { labels: Record<string, string> } | ((pod: PodObject) => boolean);

/** How many pods (or requests) a fault hits before it is used up; default: every match. */
export interface TimesOption {
  times?: number;
}

/** A fault the kubelet or the log route applies to one pod. */
export type PodFault =
  | { kind: 'imagePull'; reason: 'ErrImagePull' | 'ImagePullBackOff' }
  | { kind: 'invalidImageName' }
  | { kind: 'createContainerConfigError'; message: string }
  | { kind: 'unschedulable'; message: string }
  | { kind: 'slowStart'; delayMs: number }
  | { kind: 'oomKill'; afterMs: number }
  | { kind: 'evict'; afterMs: number; message: string }
  | { kind: 'nodeLost'; afterMs: number; podObject: 'deleted' | 'terminating' }
  | { kind: 'cutLogStream'; afterLines: number; mode: 'end' | 'destroy' };

export type PodFaultKind = PodFault['kind'];

/** Faults that hit a pod while its container runs, so arming one also reaches running pods. */
export const RUNTIME_FAULT_KINDS: PodFaultKind[] = ['oomKill', 'evict', 'nodeLost'];

interface PodRule {
  fault: PodFault;
  match: PodMatch;
  remaining: number;
}

/** An error answer for the next requests of one kind. */
export interface RequestFault {
  status: 500 | 429 | 504;
  retryAfterSeconds: number;
  /** Store the object before answering with the error, as when a write times out after etcd took it. */
  storeFirst: boolean;
}

interface RequestRule extends RequestFault {
  kind: CallKind;
  remaining: number;
}

/** The resources the stand-in can watch. */
export type WatchedResource = 'pods' | 'events';

/** Which watches a watch fault hits: the next `times` (default 1), on one resource or on any. */
export interface WatchFaultOptions extends TimesOption {
  resource?: WatchedResource;
}

interface WatchRule {
  effect: 'expire' | 'stall';
  resource: WatchedResource | undefined;
  remaining: number;
}

/** Callbacks the stand-in installs so faults can act on what is already running. */
export interface FaultHooks {
  podRuleAdded(): void;
  expireOpenWatches(): void;
  stallOpenWatches(): void;
  compactHistory(): void;
}

/** Describes the user an image runs as: `root`/`0`, a uid, or a user name. */
export type ImageUser = string | number;

export function podMatches(match: PodMatch, pod: PodObject): boolean {
  if (typeof match === 'string') return pod.metadata.name === match;
  if (match instanceof RegExp) return match.test(pod.metadata.name);
  if (typeof match === 'function') return match(pod);
  const labels = pod.metadata.labels ?? {};
  return Object.entries(match.labels).every(([key, value]) => labels[key] === value);
}

export class FaultInjector {
  private podRules: PodRule[] = [];
  private requestRules: RequestRule[] = [];
  private watchRules: WatchRule[] = [];
  private readonly imageUsers = new Map<string, ImageUser>();
  private hooks: FaultHooks | undefined;

  /** Called once by the stand-in. */
  install(hooks: FaultHooks): void {
    this.hooks = hooks;
  }

  /** The container stays waiting with ErrImagePull (events Pulling, Failed) or goes on to ImagePullBackOff (BackOff). */
  imagePull(match: PodMatch, reason: 'ErrImagePull' | 'ImagePullBackOff', options: TimesOption = {}): void {
    this.addPodRule(match, { kind: 'imagePull', reason }, options);
  }

  /** The container stays waiting with InvalidImageName, as for an unparsable image reference. */
  invalidImageName(match: PodMatch, options: TimesOption = {}): void {
    this.addPodRule(match, { kind: 'invalidImageName' }, options);
  }

  /** The container stays waiting with CreateContainerConfigError and this message. */
  createContainerConfigError(match: PodMatch, options: TimesOption & { message?: string } = {}): void {
    const message = options.message ?? 'configmap "standin-config" not found';
    this.addPodRule(match, { kind: 'createContainerConfigError', message }, options);
  }

  /** The pod stays Pending with PodScheduled False, reason Unschedulable. */
  unschedulable(match: PodMatch, options: TimesOption & { message?: string } = {}): void {
    const message =
      options.message ??
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    this.addPodRule(match, { kind: 'unschedulable', message }, options);
  }

  /** The container stays waiting with ContainerCreating for `delayMs` (a slow image pull). */
  slowStart(match: PodMatch, delayMs: number, options: TimesOption = {}): void {
    this.addPodRule(match, { kind: 'slowStart', delayMs }, options);
  }

  /** Kills the container `afterMs` after it started (or now, if it runs): terminated OOMKilled, exit 137. */
  oomKill(match: PodMatch, options: TimesOption & { afterMs?: number } = {}): void {
    this.addPodRule(match, { kind: 'oomKill', afterMs: options.afterMs ?? 0 }, options);
  }

  /** Evicts the pod `afterMs` after its container started: phase Failed, reason Evicted. */
  evict(match: PodMatch, options: TimesOption & { afterMs?: number; message?: string } = {}): void {
    const message =
      options.message ?? 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. ';
    this.addPodRule(match, { kind: 'evict', afterMs: options.afterMs ?? 0, message }, options);
  }

  /**
   * The node vanishes `afterMs` after the container started: the process is killed without any
   * status update, then the pod object is deleted (`deleted`, as the pod garbage collector does
   * once the node is gone) or left Terminating until a force delete (`terminating`).
   */
  nodeLost(match: PodMatch, options: TimesOption & { afterMs?: number; podObject?: 'deleted' | 'terminating' } = {}): void {
    const fault: PodFault = { kind: 'nodeLost', afterMs: options.afterMs ?? 0, podObject: options.podObject ?? 'deleted' };
    this.addPodRule(match, fault, options);
  }

  /** Log requests for the pod stop after `afterLines` lines: a clean end (`end`) or a dropped connection (`destroy`). */
  cutLogStream(match: PodMatch, options: TimesOption & { afterLines: number; mode?: 'end' | 'destroy' }): void {
    this.addPodRule(match, { kind: 'cutLogStream', afterLines: options.afterLines, mode: options.mode ?? 'end' }, options);
  }

  /** The next `times` (default 1) requests of `kind` answer 500, 429 (with Retry-After) or 504. */
  failRequests(kind: CallKind, options: Partial<RequestFault> & TimesOption = {}): void {
    this.requestRules.push({
      kind,
      status: options.status ?? 500,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      storeFirst: options.storeFirst ?? false,
      remaining: options.times ?? 1,
    });
  }

  /** The next `times` (default 1) watches that give a resourceVersion get an ERROR event with a 410 Status. */
  expireNextWatches(options: WatchFaultOptions = {}): void {
    this.watchRules.push({ effect: 'expire', resource: options.resource, remaining: options.times ?? 1 });
  }

  /** The next `times` (default 1) watches get a 200 and then nothing, not even bookmarks. */
  stallNextWatches(options: WatchFaultOptions = {}): void {
    this.watchRules.push({ effect: 'stall', resource: options.resource, remaining: options.times ?? 1 });
  }

  /** Sends an ERROR event with a 410 Status on every open watch, then closes it. */
  expireOpenWatches(): void {
    this.hooks?.expireOpenWatches();
  }

  /** Every open watch stops sending anything and stays open. */
  stallOpenWatches(): void {
    this.hooks?.stallOpenWatches();
  }

  /** Drops the watch history, so any resourceVersion older than now is too old (410). */
  compactHistory(): void {
    this.hooks?.compactHistory();
  }

  /** Declares the user `image` runs as; images never declared run as uid 1000. */
  setImageUser(image: string, user: ImageUser): void {
    this.imageUsers.set(image, user);
  }

  /** Shorthand for `setImageUser(image, 'root')`. */
  imageRunsAsRoot(image: string): void {
    this.setImageUser(image, 'root');
  }

  imageUser(image: string): ImageUser {
    return this.imageUsers.get(image) ?? 1000;
  }

  /** Disarms every fault (image users stay). */
  clear(): void {
    this.podRules = [];
    this.requestRules = [];
    this.watchRules = [];
  }

  /** Takes one use of the first armed fault of `kind` that matches `pod`. */
  takePodFault<K extends PodFaultKind>(kind: K, pod: PodObject): Extract<PodFault, { kind: K }> | undefined {
    const rule = this.podRules.find((candidate) => candidate.fault.kind === kind && podMatches(candidate.match, pod));
    if (!rule) return undefined;

    rule.remaining -= 1;
    if (rule.remaining <= 0) this.podRules = this.podRules.filter((candidate) => candidate !== rule);
    return rule.fault as Extract<PodFault, { kind: K }>;
  }

  takeRequestFault(kind: CallKind): RequestFault | undefined {
    const rule = this.requestRules.find((candidate) => candidate.kind === kind);
    if (!rule) return undefined;

    rule.remaining -= 1;
    if (rule.remaining <= 0) this.requestRules = this.requestRules.filter((candidate) => candidate !== rule);
    return { status: rule.status, retryAfterSeconds: rule.retryAfterSeconds, storeFirst: rule.storeFirst };
  }

  /** Takes one use of an armed watch fault with this effect for a watch on `resource`. */
  takeWatchFault(effect: 'expire' | 'stall', resource: WatchedResource): boolean {
    const rule = this.watchRules.find((candidate) => candidate.effect === effect && (candidate.resource ?? resource) === resource);
    if (!rule) return false;

    rule.remaining -= 1;
    if (rule.remaining <= 0) this.watchRules = this.watchRules.filter((candidate) => candidate !== rule);
    return true;
  }

  private addPodRule(match: PodMatch, fault: PodFault, options: TimesOption): void {
    this.podRules.push({ fault, match, remaining: options.times ?? Number.POSITIVE_INFINITY });
    if (RUNTIME_FAULT_KINDS.includes(fault.kind)) this.hooks?.podRuleAdded();
  }
}
