/**
 * Telling whether a recorded pid still names the same process. A pid alone can be reused after the
 * process ends, so the process executor also records the start time from /proc and the boot id.
 */
import fs from 'node:fs';

/** A process as recorded when it was started. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/PID/stat; null where /proc is missing. */
  startTicks: number | null;
  bootId: string | null;
}

/** Start time of a process in clock ticks since boot, or undefined when it does not exist or is a zombie. */
export function readStartTicks(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses, so count from the last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

export function readBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Returns true when the process recorded in `identity` is still running. */
export function isSameProcessAlive(identity: ProcessIdentity): boolean {
  if (identity.startTicks === null) {
    // NOTE: without /proc (e.g. macOS) only the pid is checked, so a reused pid reads as alive.
    return isPidAlive(identity.pid);
  }
  if (identity.bootId !== null && identity.bootId !== readBootId()) return false;
  return readStartTicks(identity.pid) === identity.startTicks;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal to a process or (with a negative pid) a process group; returns false when it is gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
