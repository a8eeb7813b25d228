/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * One resource kind's objects with resourceVersions from a clock shared by all kinds (like an etcd
 * revision), a bounded history of changes for watches, and listeners for open watches.
 */
import type { StoredObject } from './types';

/** The single resourceVersion counter of the stand-in. */
export class ResourceVersionClock {
  private current = 0;

  now(): number {
    return this.current;
  }

  next(): number {
    this.current += 1;
    return this.current;
  }
}

/** One change as a watch replays it; `previous` lets a selected watch turn a change into ADDED or DELETED. */
export interface ChangeEntry<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
  previous?: T;
  resourceVersion: number;
}

export type ChangeListener<T> = (change: ChangeEntry<T>) => void;

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ResourceStore<T extends StoredObject> {
  private readonly objects = new Map<string, T>();
  private history: ChangeEntry<T>[] = [];
  /** Watches from a resourceVersion below this one answer 410, because their changes were dropped. */
  private compactedThrough = 0;
  private readonly listeners = new Set<ChangeListener<T>>();

  constructor(
    private readonly clock: ResourceVersionClock,
    private readonly historyLimit: number,
  ) {}

  get(namespace: string, name: string): T | undefined {
    const object = this.objects.get(keyOf(namespace, name));
    return object ? structuredClone(object) : undefined;
  }

  /** Objects of one namespace (or all when `namespace` is undefined), sorted by name like etcd keys. */
  list(namespace?: string): T[] {
    return [...this.objects.values()]
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((object) => structuredClone(object));
  }

  /** Stores a new object; the caller has checked that the name is free. */
  create(object: T): T {
    object.metadata.resourceVersion = String(this.clock.next());
    this.objects.set(keyOf(object.metadata.namespace, object.metadata.name), object);
    this.record({ type: 'ADDED', object: structuredClone(object), resourceVersion: Number(object.metadata.resourceVersion) });
    return structuredClone(object);
  }

  /** Applies `mutate` and records a MODIFIED change; returns undefined when the object is gone. */
  update(namespace: string, name: string, mutate: (object: T) => void): T | undefined {
    const object = this.objects.get(keyOf(namespace, name));
    if (!object) return undefined;

    const previous = structuredClone(object);
    mutate(object);
    object.metadata.resourceVersion = String(this.clock.next());
    this.record({ type: 'MODIFIED', object: structuredClone(object), previous, resourceVersion: Number(object.metadata.resourceVersion) });
    return structuredClone(object);
  }

  /** Removes an object; the DELETED change carries a new resourceVersion, as on a real server. */
  remove(namespace: string, name: string): T | undefined {
    const key = keyOf(namespace, name);
    const object = this.objects.get(key);
    if (!object) return undefined;

    this.objects.delete(key);
    object.metadata.resourceVersion = String(this.clock.next());
    this.record({ type: 'DELETED', object: structuredClone(object), resourceVersion: Number(object.metadata.resourceVersion) });
    return structuredClone(object);
  }

  /**
   * Changes after `resourceVersion`, or `{ expired }` with the oldest version still kept when some
   * of them were dropped from the bounded history.
   */
  changesSince(resourceVersion: number): ChangeEntry<T>[] | { expired: number } {
    if (resourceVersion < this.compactedThrough) {
      return { expired: this.history[0]?.resourceVersion ?? this.clock.now() };
    }
    return this.history.filter((change) => change.resourceVersion > resourceVersion);
  }

  /** Drops the whole history, so a watch from any version older than now answers 410. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.clock.now();
  }

  subscribe(listener: ChangeListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: ChangeEntry<T>): void {
    this.history.push(change);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedThrough = dropped.resourceVersion;
    }
    for (const listener of this.listeners) listener(change);
  }
}
