/**
 * Lines of a pod log read with `timestamps=true`, and resuming a dropped stream without storing a
 * line twice.
 *
 * The kubelet prefixes each line with an RFC 3339 timestamp in nanoseconds (trailing zeros cut, so
 * the text varies in length). A resumed request can only give `sinceTime` in whole seconds, and the API
 * returns every line from that second on. The cursor therefore keeps the last stored line's
 * timestamp in nanoseconds and how many stored lines carry exactly that timestamp: a resumed stream
 * skips lines before it and that many lines equal to it.
 */

/** Position where a log stopped, persisted with the log so a restarted server resumes at the same line. */
export interface LogCursor {
  /** Timestamp of the last stored line in nanoseconds since the epoch, as decimal text. */
  lastNanos: string;
  /** How many stored lines have exactly that timestamp. */
  sameCount: number;
}

/** One log line with its parsed timestamp; `nanos` is undefined when the line had none. */
export interface TimestampedLine {
  nanos: bigint | undefined;
  text: string;
}

const TIMESTAMP_PATTERN = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ?/;

/** Splits a line into its kubelet timestamp and text; a line without one keeps all its text. */
export function parseTimestampedLine(line: string): TimestampedLine {
  const match = TIMESTAMP_PATTERN.exec(line);
  if (!match) return { nanos: undefined, text: line };

  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return { nanos: undefined, text: line };
  const fraction = BigInt((match[2] ?? '').padEnd(9, '0'));
  return { nanos: BigInt(seconds) * 1_000_000n + fraction, text: line.slice(match[0].length) };
}

/** The `sinceTime` to resume from: the cursor's second, which the API compares at that precision. */
export function sinceTimeFor(cursor: LogCursor | undefined): string | undefined {
  if (!cursor) return undefined;
  const milliseconds = Number(BigInt(cursor.lastNanos) / 1_000_000n);
  return new Date(Math.floor(milliseconds / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Formats a kubelet timestamp as Pipedeck's log time: ISO 8601 UTC in milliseconds. */
export function isoTimeOf(nanos: bigint): string {
  return new Date(Number(nanos / 1_000_000n)).toISOString();
}

/**
 * Decides which lines of one stream to store. Create one per request, with the cursor as it was
 * when the request was sent.
 */
export class ResumeFilter {
  private cursor: LogCursor | undefined;
  private skippedEqual = 0;
  private readonly resumeFrom: LogCursor | undefined;

  constructor(cursor: LogCursor | undefined) {
    this.resumeFrom = cursor;
    this.cursor = cursor ? { ...cursor } : undefined;
  }

  /** Returns true when the line is new; the cursor then moves past it. */
  accept(line: TimestampedLine): boolean {
    if (line.nanos === undefined) return true;

    if (this.resumeFrom) {
      const resumeNanos = BigInt(this.resumeFrom.lastNanos);
      if (line.nanos < resumeNanos) return false;
      if (line.nanos === resumeNanos && this.skippedEqual < this.resumeFrom.sameCount) {
        this.skippedEqual += 1;
        return false;
      }
    }

    const last = this.cursor ? BigInt(this.cursor.lastNanos) : undefined;
    if (last !== undefined && line.nanos === last) {
      this.cursor = { lastNanos: this.cursor!.lastNanos, sameCount: this.cursor!.sameCount + 1 };
    } else if (last === undefined || line.nanos > last) {
      this.cursor = { lastNanos: line.nanos.toString(), sameCount: 1 };
    }
    return true;
  }

  /** The cursor after the accepted lines. */
  position(): LogCursor | undefined {
    return this.cursor ? { ...this.cursor } : undefined;
  }
}

/** Splits chunks of a stream into lines; the text after the last newline waits for the next chunk. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array): string[] {
    this.pending += this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** Returns the unfinished last line, if any, and clears it from the buffer. */
  flush(): string | undefined {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return rest === '' ? undefined : rest;
  }
}
