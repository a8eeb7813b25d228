/**
 * One server per data directory. Two servers on one directory would both re-attach the same running
 * steps after a restart and write their logs twice, so the second one is rejected at startup.
 *
 * The lock is a file holding the owner's pid, process start time and boot id. A lock whose owner is
 * gone (a server killed with SIGKILL, or a machine restart) is stale and taken over.
 */
import 'server-only';

import fs from 'node:fs';
import path from 'node:path';

import { PipedeckError } from '../errors';
import { isSameProcessAlive, readBootId, readStartTicks, type ProcessIdentity } from '../executors/process/process-identity';

export const LOCK_FILE = 'server.lock';

/** Directories this module instance locked, released when the process exits. */
const heldDirs = new Set<string>();
let exitHookInstalled = false;

function remember(dataDir: string): void {
  heldDirs.add(dataDir);
  if (exitHookInstalled) return;
  process.once('exit', () => heldDirs.forEach((dir) => unlockDataDir(dir)));
  exitHookInstalled = true;
}

function ownIdentity(): ProcessIdentity {
  return { pid: process.pid, startTicks: readStartTicks(process.pid) ?? null, bootId: readBootId() };
}

function readLock(file: string): ProcessIdentity | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ProcessIdentity>;
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, startTicks: parsed.startTicks ?? null, bootId: parsed.bootId ?? null };
  } catch {
    // A lock cut short by a crash while it was written is treated as stale.
    return undefined;
  }
}

/**
 * Takes the data directory for this process, or returns at once if this process already holds it.
 *
 * @throws PipedeckError('conflict') naming the other server's pid when a live process holds it.
 */
export function lockDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const identity = ownIdentity();

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(identity), { flag: 'wx' });
      remember(dataDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const holder = readLock(file);
    if (holder?.pid === process.pid) {
      remember(dataDir);
      return;
    }
    if (holder && isSameProcessAlive(holder)) {
      throw new PipedeckError(
        'conflict',
        `another Pipedeck server (pid ${holder.pid}) is using the data directory ${dataDir}; stop it, or set PIPEDECK_DATA_DIR to another folder`,
      );
    }
    fs.rmSync(file, { force: true });
  }

  throw new PipedeckError('conflict', `could not lock the data directory ${dataDir}: another server keeps taking it; stop the other server`);
}

/** Gives the data directory up if this process holds it. */
export function unlockDataDir(dataDir: string): void {
  heldDirs.delete(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}
