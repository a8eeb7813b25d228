/**
 * Turning the supervisor's `exit.json` into the attempt result the engine stores.
 */
import type { AttemptResult } from '../types';
import type { PortType } from '../../pipeline/schema';
import type { ExitRecord } from './attempt-files';
import { collectOutputs } from './outputs';

const REASON_BY_SPAWN_ERROR: Record<string, string> = {
  ENOENT: 'ProgramNotFound',
  EACCES: 'ProgramNotExecutable',
  WorkingDirNotFound: 'WorkingDirNotFound',
};

/**
 * Maps an exit record to a result: cancelled, timed out, could not start, killed by a signal, non-zero
 * exit, or exit code 0 with every declared output present (else `OutputMissing`).
 */
export async function resultFromExit(
  exit: ExitRecord,
  attemptDir: string,
  outputs: { name: string; type: PortType }[],
  timeoutSeconds: number | undefined,
): Promise<AttemptResult> {
  const ended = { exitCode: exit.exitCode, outputs: {}, finishedAt: exit.endedAt };

  if (exit.cancelled) return { ...ended, status: 'cancelled', reason: 'Cancelled', message: 'cancelled on request' };
  if (exit.timedOut) {
    return { ...ended, status: 'failed', reason: 'Timeout', message: `timed out after ${timeoutSeconds ?? '?'} s` };
  }
  if (exit.spawnError) {
    const reason = REASON_BY_SPAWN_ERROR[exit.spawnError.code] ?? 'Error';
    return { ...ended, status: 'failed', reason, message: exit.spawnError.message };
  }
  if (exit.supervisorError) {
    return { ...ended, status: 'failed', reason: 'Error', message: `the step's supervisor failed: ${exit.supervisorError}` };
  }
  if (exit.signal) return { ...ended, status: 'failed', reason: 'Error', message: `killed by signal ${exit.signal}` };
  if (exit.exitCode !== 0) {
    return { ...ended, status: 'failed', reason: 'Error', message: `exited with code ${exit.exitCode}` };
  }

  const collected = await collectOutputs(attemptDir, outputs);
  if (!collected.ok) {
    return { ...ended, status: 'failed', reason: 'OutputMissing', message: collected.message, outputs: collected.outputs };
  }
  return { ...ended, status: 'succeeded', reason: 'Completed', message: null, outputs: collected.outputs };
}
