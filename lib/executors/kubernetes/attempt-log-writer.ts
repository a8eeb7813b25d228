/**
 * The one writer of a Kubernetes attempt's log file, in Pipedeck's line format
 * `<ISO-8601 UTC time> <stdout|system> <text>`.
 *
 * Beside the log it keeps a state file with the log's size, the log cursor and the events already
 * written, saved after every append. A server killed between the two writes leaves lines past the
 * saved size. Reopening cuts them off and they are fetched again from the API, so nothing is lost
 * and nothing is stored twice.
 */
import fs from 'node:fs';
import path from 'node:path';

import { isoTimeOf, type LogCursor } from './log-lines';

/** File in the attempt directory that contains the writer's state. */
export const LOG_STATE_FILE = 'kubernetes-log-state.json';

interface LogState {
  logBytes: number;
  cursor: LogCursor | null;
  /** Keys (`uid/count`) of events already written. */
  events: string[];
}

export class AttemptLogWriter {
  private state: LogState;
  private readonly stateFile: string;
  private readonly seenEvents: Set<string>;
  private closed = false;

  private constructor(
    private readonly logFile: string,
    attemptDir: string,
    state: LogState,
  ) {
    this.stateFile = path.join(attemptDir, LOG_STATE_FILE);
    this.state = state;
    this.seenEvents = new Set(state.events);
  }

  /** Opens the writer, cutting off lines written after the last saved state. */
  static open(logFile: string, attemptDir: string): AttemptLogWriter {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.mkdirSync(attemptDir, { recursive: true });

    const state = readState(path.join(attemptDir, LOG_STATE_FILE));
    const size = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    if (size > state.logBytes) fs.truncateSync(logFile, state.logBytes);
    return new AttemptLogWriter(logFile, attemptDir, state);
  }

  /** Returns where the stored stream stopped. */
  cursor(): LogCursor | undefined {
    return this.state.cursor ?? undefined;
  }

  /**
   * Appends lines of the pod log. The pod log merges the container's stdout and stderr, so every
   * line is stored as `stdout`.
   */
  appendStreamLines(lines: { nanos: bigint | undefined; text: string }[], cursor: LogCursor | undefined): void {
    if (lines.length === 0) return;
    const now = new Date().toISOString();
    const text = lines.map((line) => `${line.nanos === undefined ? now : isoTimeOf(line.nanos)} stdout ${line.text}\n`).join('');
    this.append(text, { cursor: cursor ?? this.state.cursor });
  }

  /** Appends a `system` line, e.g. a pod event or how the pod ended. */
  appendSystem(text: string, time: Date = new Date()): void {
    this.append(`${time.toISOString()} system ${text.replaceAll('\n', ' ')}\n`, {});
  }

  /** Appends a pod event once; returns false when it was already written. */
  appendEvent(key: string, text: string, time: Date): boolean {
    if (this.seenEvents.has(key)) return false;
    this.seenEvents.add(key);
    this.append(`${time.toISOString()} system ${text.replaceAll('\n', ' ')}\n`, { events: [...this.seenEvents] });
    return true;
  }

  /** Makes later appends do nothing, so a detached attempt cannot write beside the writer that follows it next. */
  close(): void {
    this.closed = true;
  }

  private append(text: string, update: Partial<LogState>): void {
    if (this.closed) return;
    fs.appendFileSync(this.logFile, text);
    this.state = { ...this.state, ...update, logBytes: this.state.logBytes + Buffer.byteLength(text) };
    const temporary = `${this.stateFile}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.state));
    fs.renameSync(temporary, this.stateFile);
  }
}

function readState(file: string): LogState {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LogState>;
    return {
      logBytes: typeof value.logBytes === 'number' && value.logBytes >= 0 ? value.logBytes : 0,
      cursor: value.cursor && typeof value.cursor.lastNanos === 'string' ? value.cursor : null,
      events: Array.isArray(value.events) ? value.events.filter((key): key is string => typeof key === 'string') : [],
    };
  } catch {
    return { logBytes: 0, cursor: null, events: [] };
  }
}
