/**
 * Starting `supervisor.mjs` for one attempt and waiting until it has started the step (or failed to).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  readExitRecord,
  readStartedRecord,
  readSupervisorLogTail,
  SUPERVISOR_LOG_FILE,
  writeSupervisorConfig,
  type ExitRecord,
  type StartedRecord,
  type SupervisorConfig,
} from './attempt-files';
import { sendSignal } from './process-identity';
import { watchAttemptDir } from './watch-attempt-dir';

/** Outcome of a launch: the step is running, the step already ended, or the supervisor itself failed. */
export type LaunchOutcome =
  | { kind: 'started'; started: StartedRecord; supervisorPid: number }
  | { kind: 'exited'; exit: ExitRecord; started: StartedRecord | undefined; supervisorPid: number }
  | { kind: 'failed'; message: string; supervisorPid: number | null };

export interface LaunchOptions {
  supervisorPath: string;
  startTimeoutMs: number;
  pollIntervalMs: number;
}

/**
 * Spawns the supervisor detached (its own session, so it outlives the server and ignores the
 * terminal's signals) with only PATH, LANG and NODE_ENV, then waits for `started.json` or `exit.json`.
 */
export async function launchSupervisor(config: SupervisorConfig, options: LaunchOptions): Promise<LaunchOutcome> {
  const attemptDir = config.attemptDir;
  const configFile = writeSupervisorConfig(attemptDir, config);
  const errorLog = fs.openSync(path.join(attemptDir, SUPERVISOR_LOG_FILE), 'a', 0o600);

  let supervisorExit: string | undefined;
  let spawnError: Error | undefined;
  const supervisor = spawn(process.execPath, [options.supervisorPath, configFile], {
    detached: true,
    stdio: ['ignore', 'ignore', errorLog],
    env: { PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C.UTF-8', NODE_ENV: process.env.NODE_ENV },
  });
  fs.closeSync(errorLog);
  supervisor.on('error', (error) => (spawnError = error));
  supervisor.on('exit', (code, signal) => (supervisorExit = signal ? `signal ${signal}` : `code ${code}`));
  supervisor.unref();

  const supervisorPid = supervisor.pid ?? null;
  const deadline = Date.now() + options.startTimeoutMs;

  const watch = watchAttemptDir<LaunchOutcome>(
    attemptDir,
    () => {
      const exit = readExitRecord(attemptDir);
      const started = readStartedRecord(attemptDir);
      if (exit && supervisorPid !== null) return { kind: 'exited', exit, started, supervisorPid };
      if (started && supervisorPid !== null) return { kind: 'started', started, supervisorPid };

      if (spawnError) return { kind: 'failed', supervisorPid, message: `could not start the step's supervisor: ${spawnError.message}` };
      if (supervisorExit) {
        const tail = readSupervisorLogTail(attemptDir);
        return {
          kind: 'failed',
          supervisorPid,
          message: `the step's supervisor exited with ${supervisorExit} before starting the step${tail ? `: ${tail}` : ''}`,
        };
      }
      if (Date.now() > deadline) {
        if (supervisorPid !== null) sendSignal(supervisorPid, 'SIGKILL');
        return {
          kind: 'failed',
          supervisorPid,
          message: `the step's supervisor did not start the step within ${options.startTimeoutMs} ms`,
        };
      }
      return undefined;
    },
    options.pollIntervalMs,
  );
  return watch.done;
}
