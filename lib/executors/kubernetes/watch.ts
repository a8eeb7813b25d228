/**
 * One watch of Pipedeck's pods per namespace, shared by every attempt: list, then watch from the
 * list's resourceVersion with bookmarks. The watch is started again when it ends, relisted when the
 * server returns 410 Gone (the resourceVersion is too old), and treated as dead when nothing, not
 * even a bookmark, arrives for `stallTimeoutMs`. A periodic list is a backstop for anything missed.
 *
 * Updates are sent to attempts by pod name. A pod missing from a list is reported as `absent`
 * with the time the list started, because a pod created after that time is rightly not in it.
 */
import type { V1Pod } from '@kubernetes/client-node';

import type { Logger } from '../../logger';
import { describeApiError } from './api-error';
import type { KubernetesClient } from './client';
import { MANAGED_SELECTOR } from './pod-names';
import { wakeableSleep } from './wakeable-sleep';

export type PodUpdate =
  | { type: 'changed'; pod: V1Pod }
  | { type: 'deleted'; pod: V1Pod }
  /** The pod was not in a list that started at `listStartedAt` (epoch ms). */
  | { type: 'absent'; listStartedAt: number };

export type PodListener = (update: PodUpdate) => void;

export interface PodWatchOptions {
  /** Time between backstop lists. Default 5 minutes. */
  resyncIntervalMs?: number;
  /** A watch with no event or bookmark for this long is restarted. Default 90 s. */
  stallTimeoutMs?: number;
  /** Asks the server to end each watch after this long; it is then started again. Default 300 s. */
  watchTimeoutSeconds?: number;
  /** First wait before a failed list or watch is tried again; it doubles up to 30 s. Default 1 s. */
  retryDelayMs?: number;
}

export class PodWatch {
  private readonly pods = new Map<string, V1Pod>();
  /** When each cached pod was last updated (epoch ms), so a list that started earlier does not undo it. */
  private readonly updatedAt = new Map<string, number>();
  private readonly listeners = new Map<string, Set<PodListener>>();
  private resourceVersion: string | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private firstList: Promise<void>;
  private resolveFirstList!: () => void;
  private resyncTimer: NodeJS.Timeout | undefined;
  private abortWatch: (() => void) | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly resyncIntervalMs: number;
  private readonly stallTimeoutMs: number;
  private readonly watchTimeoutSeconds: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly client: KubernetesClient,
    private readonly namespace: string,
    private readonly logger: Logger | undefined,
    options: PodWatchOptions = {},
  ) {
    this.resyncIntervalMs = options.resyncIntervalMs ?? 300_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 90_000;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.firstList = new Promise((resolve) => (this.resolveFirstList = resolve));
  }

  /** Starts listing and watching, once; resolves when the first list has been applied. */
  ready(): Promise<void> {
    if (!this.running && !this.stopped) {
      this.running = this.run();
      this.resyncTimer = setInterval(() => void this.resync(), this.resyncIntervalMs);
      this.resyncTimer.unref();
    }
    return this.firstList;
  }

  /** Sends updates of one pod to `listener`; returns a function that stops them. */
  subscribe(podName: string, listener: PodListener): () => void {
    void this.ready();
    let set = this.listeners.get(podName);
    if (!set) {
      set = new Set();
      this.listeners.set(podName, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(podName);
    };
  }

  /** The pod as last seen, if it exists. */
  get(podName: string): V1Pod | undefined {
    return this.pods.get(podName);
  }

  /** Every Pipedeck pod in the namespace as last seen. */
  snapshot(): V1Pod[] {
    return [...this.pods.values()];
  }

  /** Ends the watch and the backstop lists. */
  stop(): void {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.abortWatch?.();
    this.wakeUp?.();
    this.resolveFirstList();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let needList = true;
    while (!this.stopped) {
      if (needList) {
        const listed = await this.list();
        if (!listed) {
          failures += 1;
          await this.sleep(this.backoff(failures));
          continue;
        }
        this.resolveFirstList();
        needList = false;
      }

      const watchStartedAt = Date.now();
      const outcome = await this.watchOnce();
      if (this.stopped) return;
      if (outcome === 'gone' || outcome === 'stalled') {
        needList = true;
        failures = 0;
        continue;
      }
      if (outcome === 'failed') {
        failures += 1;
        await this.sleep(this.backoff(failures));
        continue;
      }
      failures = 0;
      // A server that ends every watch at once must not be asked again in a tight loop.
      if (Date.now() - watchStartedAt < this.retryDelayMs) await this.sleep(this.retryDelayMs);
    }
  }

  /** Lists the pods and applies the list; returns false when the list failed. */
  private async list(): Promise<boolean> {
    const startedAt = Date.now();
    try {
      const list = await this.client.core.listNamespacedPod({ namespace: this.namespace, labelSelector: MANAGED_SELECTOR });
      this.resourceVersion = list.metadata?.resourceVersion;
      this.applyList(list.items, startedAt);
      return true;
    } catch (error) {
      this.logger?.warn({ namespace: this.namespace, error: describeApiError(error).message }, 'listing pipedeck pods failed; retrying');
      return false;
    }
  }

  private async resync(): Promise<void> {
    if (this.stopped) return;
    await this.list();
  }

  private applyList(items: V1Pod[], listStartedAt: number): void {
    const listed = new Set<string>();
    for (const pod of items) {
      const name = pod.metadata?.name;
      if (!name) continue;
      listed.add(name);
      // The watch may have delivered a newer version while the list was on its way.
      if ((this.updatedAt.get(name) ?? 0) > listStartedAt) continue;
      this.remember(name, pod);
      this.dispatch(name, { type: 'changed', pod });
    }

    for (const name of [...this.pods.keys()]) {
      if (listed.has(name) || (this.updatedAt.get(name) ?? 0) > listStartedAt) continue;
      this.pods.delete(name);
      this.updatedAt.delete(name);
    }
    for (const [name, time] of [...this.updatedAt]) {
      if (!this.pods.has(name) && time <= listStartedAt) this.updatedAt.delete(name);
    }
    for (const name of [...this.listeners.keys()]) {
      if (!listed.has(name) && !this.pods.has(name)) this.dispatch(name, { type: 'absent', listStartedAt });
    }
  }

  private remember(name: string, pod: V1Pod): void {
    this.pods.set(name, pod);
    this.updatedAt.set(name, Date.now());
  }

  /** Runs one watch request until it ends; returns why it ended. */
  private watchOnce(): Promise<'ended' | 'gone' | 'stalled' | 'failed'> {
    return new Promise((resolve) => {
      let outcome: 'ended' | 'gone' | 'stalled' | 'failed' = 'ended';
      let lastActivity = Date.now();
      let finished = false;
      let controller: AbortController | undefined;

      const stallCheck = setInterval(() => {
        if (Date.now() - lastActivity < this.stallTimeoutMs) return;
        this.logger?.warn({ namespace: this.namespace, silentMs: Date.now() - lastActivity }, 'pod watch sent nothing, not even a bookmark; restarting it');
        outcome = 'stalled';
        controller?.abort();
        finish();
      }, Math.max(50, Math.floor(this.stallTimeoutMs / 4)));

      const finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(stallCheck);
        this.abortWatch = undefined;
        resolve(outcome);
      };
      this.abortWatch = () => {
        controller?.abort();
        finish();
      };

      const onEvent = (type: string, object: unknown) => {
        lastActivity = Date.now();
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string };
          outcome = status.code === 410 ? 'gone' : 'failed';
          this.logger?.info({ namespace: this.namespace, code: status.code, message: status.message }, 'pod watch ended with an error event');
          controller?.abort();
          finish();
          return;
        }
        this.applyWatchEvent(type, object as V1Pod);
      };
      const onDone = (error: unknown) => {
        if (error && outcome === 'ended') {
          const problem = describeApiError(error);
          outcome = problem.status === 410 ? 'gone' : 'failed';
          if (outcome === 'failed') this.logger?.warn({ namespace: this.namespace, error: problem.message }, 'pod watch failed');
        }
        finish();
      };

      const query = { labelSelector: MANAGED_SELECTOR, allowWatchBookmarks: true, resourceVersion: this.resourceVersion, timeoutSeconds: this.watchTimeoutSeconds };
      this.client.watch.watch(`/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`, query, onEvent, onDone).then(
        (started) => {
          controller = started;
          if (finished) started.abort();
        },
        (error: unknown) => onDone(error ?? new Error('the watch could not start')),
      );
    });
  }

  private applyWatchEvent(type: string, pod: V1Pod): void {
    const version = pod.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (type === 'BOOKMARK') return;

    const name = pod.metadata?.name;
    if (!name) return;
    if (type === 'DELETED') {
      this.pods.delete(name);
      this.updatedAt.set(name, Date.now());
      this.dispatch(name, { type: 'deleted', pod });
      return;
    }
    this.remember(name, pod);
    this.dispatch(name, { type: 'changed', pod });
  }

  private dispatch(podName: string, update: PodUpdate): void {
    for (const listener of this.listeners.get(podName) ?? []) {
      try {
        listener(update);
      } catch (error) {
        this.logger?.error({ podName, err: error }, 'a pod update listener threw');
      }
    }
  }

  private backoff(failures: number): number {
    return Math.min(this.retryDelayMs * 2 ** (failures - 1), 30_000);
  }

  private sleep(ms: number): Promise<void> {
    return wakeableSleep(ms, (wake) => {
      this.wakeUp = wake;
    });
  }
}
