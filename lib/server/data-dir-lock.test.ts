import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import { readBootId, readStartTicks } from '../executors/process/process-identity';
import { LOCK_FILE, lockDataDir, unlockDataDir } from './data-dir-lock';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-lock-'));
});

afterEach(() => {
  unlockDataDir(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function writeLockOf(pid: number, startTicks: number | null): void {
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid, startTicks, bootId: readBootId() }));
}

describe('lockDataDir', () => {
  it('takes a free directory and keeps it on a second call', () => {
    lockDataDir(dataDir);
    lockDataDir(dataDir);

    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('rejects a directory held by a live process', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      writeLockOf(other.pid!, readStartTicks(other.pid!) ?? null);

      let caught: unknown;
      try {
        lockDataDir(dataDir);
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(PipedeckError);
      expect((caught as PipedeckError).code).toBe('conflict');
      expect((caught as PipedeckError).message).toBe(
        `another Pipedeck server (pid ${other.pid}) is using the data directory ${dataDir}; stop it, or set PIPEDECK_DATA_DIR to another folder`,
      );
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone', async () => {
    const gone = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    writeLockOf(gone.pid!, 12345);

    lockDataDir(dataDir);

    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('takes over a lock whose pid was reused', () => {
    // Our own parent is alive, but with a different start time than the lock records.
    writeLockOf(process.ppid, (readStartTicks(process.ppid) ?? 0) + 1);

    lockDataDir(dataDir);

    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('removes only its own lock on unlock', () => {
    writeLockOf(process.ppid, readStartTicks(process.ppid) ?? null);
    unlockDataDir(dataDir);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);

    fs.rmSync(path.join(dataDir, LOCK_FILE));
    lockDataDir(dataDir);
    unlockDataDir(dataDir);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });
});
