/**
 * Files the process executor keeps in an attempt directory, shared with `supervisor.mjs` (which
 * writes `started.json` and `exit.json`, and reads and deletes the config file).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Configuration of one attempt, which `supervisor.mjs` reads from its config file. */
export interface SupervisorConfig {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  attemptDir: string;
  image: string;
  /** Time between SIGTERM and SIGKILL when the step is cancelled or times out, in milliseconds. */
  killGraceMs: number;
  timeoutSeconds: number | null;
}

/** Written by the supervisor once the step's process exists. */
export interface StartedRecord {
  supervisorPid: number;
  /** Start time in clock ticks since boot from /proc; null where /proc is missing. */
  supervisorStartTicks: number | null;
  /** Also the step's process group id: the step leads its own group. */
  stepPid: number;
  stepStartTicks: number | null;
  /** /proc/sys/kernel/random/boot_id, so pids from before a reboot never match. */
  bootId: string | null;
  startedAt: string;
}

/** Written by the supervisor when the step has ended (or could not start). */
export interface ExitRecord {
  exitCode: number | null;
  signal: string | null;
  /** Set when the program or working directory could not be used; `message` is for a person. */
  spawnError: { code: string; message: string } | null;
  supervisorError: string | null;
  cancelled: boolean;
  timedOut: boolean;
  endedAt: string;
}

export const STARTED_FILE = 'started.json';
export const EXIT_FILE = 'exit.json';
export const CONFIG_FILE = 'supervisor-config.json';
export const SUPERVISOR_LOG_FILE = 'supervisor.log';

/** Directories of one attempt: outputs, the default working directory (also HOME) and TMPDIR. */
export function attemptDirectories(attemptDir: string): { outputs: string; workspace: string; tmp: string } {
  return {
    outputs: path.join(attemptDir, 'outputs'),
    workspace: path.join(attemptDir, 'workspace'),
    tmp: path.join(attemptDir, 'tmp'),
  };
}

/** Writes the supervisor's config readable by this user only, because it contains the step's environment. */
export function writeSupervisorConfig(attemptDir: string, config: SupervisorConfig): string {
  const file = path.join(attemptDir, CONFIG_FILE);
  fs.writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

export function readStartedRecord(attemptDir: string): StartedRecord | undefined {
  return readJsonFile<StartedRecord>(path.join(attemptDir, STARTED_FILE));
}

export function readExitRecord(attemptDir: string): ExitRecord | undefined {
  return readJsonFile<ExitRecord>(path.join(attemptDir, EXIT_FILE));
}

/** Returns the last lines of the supervisor's own error output, for messages when it fails. */
export function readSupervisorLogTail(attemptDir: string, maxChars = 2000): string {
  try {
    const text = fs.readFileSync(path.join(attemptDir, SUPERVISOR_LOG_FILE), 'utf8').trim();
    return text.length > maxChars ? text.slice(-maxChars) : text;
  } catch {
    return '';
  }
}

// The supervisor writes both files with write-to-temporary + rename, so a file that exists is
// complete; a missing file is the normal "not yet" case.
function readJsonFile<T>(file: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as T;
}
