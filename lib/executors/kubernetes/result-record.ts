/**
 * The result of an ended attempt, saved in its attempt directory before its pod may be deleted, so a
 * server that restarts in between still knows how the attempt ended.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { AttemptResult } from '../types';

export const RESULT_FILE = 'kubernetes-result.json';

export function saveResult(attemptDir: string, result: AttemptResult): void {
  fs.mkdirSync(attemptDir, { recursive: true });
  const file = path.join(attemptDir, RESULT_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result));
  fs.renameSync(`${file}.tmp`, file);
}

/** Returns the saved result, or undefined when there is none or it cannot be read. */
export function readResult(attemptDir: string): AttemptResult | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(attemptDir, RESULT_FILE), 'utf8')) as Partial<AttemptResult>;
    if (value.status !== 'succeeded' && value.status !== 'failed' && value.status !== 'cancelled') return undefined;
    return {
      status: value.status,
      exitCode: typeof value.exitCode === 'number' ? value.exitCode : null,
      reason: typeof value.reason === 'string' ? value.reason : 'Error',
      message: typeof value.message === 'string' ? value.message : null,
      outputs: value.outputs && typeof value.outputs === 'object' ? value.outputs : {},
      ...(typeof value.finishedAt === 'string' ? { finishedAt: value.finishedAt } : {}),
    };
  } catch {
    return undefined;
  }
}
