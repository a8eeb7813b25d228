/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Records every request the stand-in receives, so tests can count API calls by kind.
 */

/** What a request did, named `<resource>.<verb>` like kube-apiserver's audit verbs. */
export type CallKind =
  | 'pods.create'
  | 'pods.get'
  | 'pods.list'
  | 'pods.watch'
  | 'pods.delete'
  | 'pods.deletecollection'
  | 'pods.log'
  | 'events.list'
  | 'events.watch'
  | 'namespaces.get'
  | 'persistentvolumeclaims.create'
  | 'persistentvolumeclaims.get'
  | 'persistentvolumeclaims.list'
  | 'persistentvolumeclaims.delete'
  | 'discovery'
  | 'unknown';

export interface CallRecord {
  kind: CallKind;
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status sent, or 0 while a handler has not answered yet. */
  status: number;
  /** When the request arrived, ISO 8601. */
  time: string;
}

export class CallLog {
  private readonly entries: CallRecord[] = [];

  /** Adds a record; the server fills in `status` once it has answered. */
  add(record: CallRecord): CallRecord {
    this.entries.push(record);
    return record;
  }

  /** Every request so far, oldest first (copies). */
  all(): CallRecord[] {
    return this.entries.map((record) => ({ ...record, query: { ...record.query } }));
  }

  /** Number of requests of one kind, whatever their status. */
  count(kind: CallKind): number {
    return this.entries.filter((record) => record.kind === kind).length;
  }

  /** Counts by kind, for printing. */
  summary(): Partial<Record<CallKind, number>> {
    const counts: Partial<Record<CallKind, number>> = {};
    for (const record of this.entries) counts[record.kind] = (counts[record.kind] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
