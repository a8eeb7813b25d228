/**
 * Reads step logs. A log is found through the store by run id, step id and attempt number, never by
 * a path from a request. Lines are stored as `<ISO time> <stdout|stderr|system> <text>`.
 */
import 'server-only';

import fs from 'node:fs/promises';

import type { AttemptRecord, StepRunRecord, StepStatus } from '../engine/types';
import { PipedeckError } from '../errors';
import { STEP_ID_PATTERN } from '../pipeline/schema';
import { assertRecordId } from './pipelines-service';
import { getStore } from './store-singleton';

/** Most bytes one non-following read returns; a client fetches the rest from `nextOffset`. */
export const MAX_LOG_READ_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Address of a log: an attempt of one step of one run. */
export interface StepLogAddress {
  runId: string;
  stepId: string;
  /** 1-based attempt number; the latest attempt when absent. */
  attempt?: number;
}

/** The attempt a log belongs to, as the store has it at read time. */
export interface ResolvedStepLog {
  step: StepRunRecord;
  /** Undefined while the step has no attempt yet. */
  attempt: AttemptRecord | undefined;
  /** Host path of the log file; undefined while the step has no attempt. */
  logFile: string | undefined;
}

/** One chunk of a log read from a byte offset. */
export interface StepLogChunk {
  /** Raw bytes of whole lines (or, once the attempt has finished, everything to the end of the file). */
  bytes: Buffer;
  /** Offset to pass on the next read. */
  nextOffset: number;
  /** Size of the log file when it was read. */
  size: number;
  /** The attempt read, or null when the step has no attempt yet. */
  attempt: number | null;
  /** True once the attempt has ended; with `nextOffset === size` the client has the whole log. */
  finished: boolean;
  stepStatus: StepStatus;
}

/**
 * Finds the step and attempt a log request names.
 *
 * @throws PipedeckError('not_found') for an unknown run, step or attempt number.
 */
export function resolveStepLog(address: StepLogAddress): ResolvedStepLog {
  assertRecordId('run', address.runId);
  const store = getStore();
  const step = STEP_ID_PATTERN.test(address.stepId) ? store.getStepRun(address.runId, address.stepId) : undefined;

  if (!step) {
    // Only the error path loads the whole run, to say whether the run or the step is unknown.
    const run = store.getRun(address.runId);
    if (!run) throw new PipedeckError('not_found', `run ${address.runId} not found`);
    if (!STEP_ID_PATTERN.test(address.stepId)) {
      throw new PipedeckError('not_found', `step not found in run ${run.id}: step ids are DNS-1123 labels`);
    }
    throw new PipedeckError('not_found', `step ${address.stepId} not found in run ${run.id}`);
  }

  let attempt: AttemptRecord | undefined;
  if (address.attempt === undefined) {
    attempt = step.attempts.at(-1);
  } else {
    attempt = step.attempts.find((candidate) => candidate.number === address.attempt);
    if (!attempt) {
      throw new PipedeckError(
        'not_found',
        `step ${step.stepId} of run ${address.runId} has no attempt ${address.attempt}; it has ${step.attempts.length}`,
      );
    }
  }

  const logFile = attempt ? store.logFile(address.runId, step.stepId, attempt.number) : undefined;
  return { step, attempt, logFile };
}

/** Size of a file in bytes; 0 while the executor has not created it yet. */
export async function logFileSize(logFile: string): Promise<number> {
  try {
    return (await fs.stat(logFile)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * Reads up to `maxBytes` of a log file from `offset`. Unless `wholeTail` is set, the chunk ends after
 * the last complete line, so a line still being written (or a UTF-8 sequence cut in two) is returned
 * whole by a later read.
 */
export async function readLogBytes(
  logFile: string,
  offset: number,
  maxBytes: number,
  wholeTail: boolean,
): Promise<{ bytes: Buffer; nextOffset: number; size: number }> {
  const size = await logFileSize(logFile);
  const length = Math.min(Math.max(size - offset, 0), maxBytes);
  if (length === 0) return { bytes: Buffer.alloc(0), nextOffset: offset, size };

  const buffer = Buffer.alloc(length);
  const handle = await fs.open(logFile, 'r');
  let bytesRead: number;
  try {
    ({ bytesRead } = await handle.read(buffer, 0, length, offset));
  } finally {
    await handle.close();
  }

  let end = bytesRead;
  const reachedEnd = offset + bytesRead >= size;
  if (!(wholeTail && reachedEnd)) {
    const lastNewline = buffer.lastIndexOf(NEWLINE, bytesRead - 1);
    // A single line longer than maxBytes would never fit, so it is returned in pieces.
    if (lastNewline >= 0) end = lastNewline + 1;
    else if (bytesRead < maxBytes) end = 0;
  }

  return { bytes: buffer.subarray(0, end), nextOffset: offset + end, size };
}

/**
 * Reads one chunk of a step's log from a byte offset.
 *
 * @throws PipedeckError('not_found') for an unknown run, step or attempt; PipedeckError('invalid_request')
 *   for an offset past the end of the log.
 */
export async function readStepLog(address: StepLogAddress & { offset?: number; maxBytes?: number }): Promise<StepLogChunk> {
  const offset = address.offset ?? 0;
  const resolved = resolveStepLog(address);
  const { step, attempt, logFile } = resolved;

  if (!attempt || !logFile) {
    if (offset > 0) throw offsetPastEnd(offset, 0);
    return { bytes: Buffer.alloc(0), nextOffset: 0, size: 0, attempt: null, finished: false, stepStatus: step.status };
  }

  // The status is read before the file, so a finished status means the file was complete before the read.
  const finished = attempt.status !== 'running';
  const chunk = await readLogBytes(logFile, offset, address.maxBytes ?? MAX_LOG_READ_BYTES, finished);
  if (offset > chunk.size) throw offsetPastEnd(offset, chunk.size);

  return { ...chunk, attempt: attempt.number, finished, stepStatus: step.status };
}

/** Builds the error for a read that starts past the end of a log. */
export function offsetPastEnd(offset: number, size: number): PipedeckError {
  return new PipedeckError(
    'invalid_request',
    `offset ${offset} is past the end of the log (${size} bytes); pass the x-log-offset value of the previous response`,
    { size },
  );
}
