/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * The log of one container as the kubelet keeps it: stdout and stderr merged into lines, each with
 * a nanosecond timestamp taken when the line was complete. Timestamps are strictly increasing
 * within a container. Lines are kept until the pod is deleted.
 */
import { nowNs } from './clock';

export interface LogLine {
  timestampNs: bigint;
  text: string;
}

type Listener = () => void;

export class LogBuffer {
  readonly lines: LogLine[] = [];
  /** True once the container has ended and its output pipes are drained. */
  ended = false;
  private readonly partial = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private lastNs = 0n;

  /** Adds a chunk of one stream; complete lines are stored, a trailing fragment waits for more. */
  write(stream: 'stdout' | 'stderr', chunk: string): void {
    const pending = (this.partial.get(stream) ?? '') + chunk;
    const pieces = pending.split('\n');
    this.partial.set(stream, pieces.pop() ?? '');
    for (const piece of pieces) this.push(piece);
    if (pieces.length > 0) this.notify();
  }

  /** Stores the fragments left without a newline and marks the log complete. */
  end(): void {
    for (const [stream, fragment] of this.partial) {
      if (fragment !== '') this.push(fragment);
      this.partial.set(stream, '');
    }
    this.ended = true;
    this.notify();
  }

  /** Calls `listener` after new lines arrive or the log ends; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last `count` lines joined, for a FallbackToLogsOnError termination message. */
  tail(count: number): string {
    return this.lines
      .slice(-count)
      .map((line) => line.text)
      .join('\n');
  }

  private push(text: string): void {
    let timestampNs = nowNs();
    if (timestampNs <= this.lastNs) timestampNs = this.lastNs + 1n;
    this.lastNs = timestampNs;
    this.lines.push({ timestampNs, text });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
