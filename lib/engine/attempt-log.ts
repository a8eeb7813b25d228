/**
 * Lines the engine itself adds to an attempt's log, in the format every executor writes:
 * `<ISO-8601 UTC time> <stdout|stderr|system> <text>`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Appends one `system` line, e.g. why an attempt was marked lost. */
export function appendSystemLogLine(logFile: string, text: string, time = new Date()): void {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.appendFileSync(logFile, `${time.toISOString()} system ${text.replaceAll('\n', ' ')}\n`);
}
