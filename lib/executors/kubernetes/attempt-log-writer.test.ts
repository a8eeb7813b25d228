import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AttemptLogWriter, LOG_STATE_FILE } from './attempt-log-writer';

let dir: string;
let logFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-log-'));
  logFile = path.join(dir, 'log');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('AttemptLogWriter', () => {
  it('writes stream lines as stdout in milliseconds', () => {
    const writer = AttemptLogWriter.open(logFile, dir);
    writer.appendStreamLines([{ nanos: 1714564800123456789n, text: 'hello' }], { lastNanos: '1714564800123456789', sameCount: 1 });
    expect(fs.readFileSync(logFile, 'utf8')).toBe('2024-05-01T12:00:00.123Z stdout hello\n');
    expect(writer.cursor()).toEqual({ lastNanos: '1714564800123456789', sameCount: 1 });
  });

  it('writes system lines on one line', () => {
    const writer = AttemptLogWriter.open(logFile, dir);
    writer.appendSystem('first\nsecond', new Date('2024-05-01T12:00:00Z'));
    expect(fs.readFileSync(logFile, 'utf8')).toBe('2024-05-01T12:00:00.000Z system first second\n');
  });

  it('writes each event once, also after reopening', () => {
    const time = new Date('2024-05-01T12:00:00Z');
    const writer = AttemptLogWriter.open(logFile, dir);
    expect(writer.appendEvent('uid-1/1', 'event Pulling: Pulling image "busybox"', time)).toBe(true);
    expect(writer.appendEvent('uid-1/1', 'event Pulling: Pulling image "busybox"', time)).toBe(false);

    const reopened = AttemptLogWriter.open(logFile, dir);
    expect(reopened.appendEvent('uid-1/1', 'event Pulling: Pulling image "busybox"', time)).toBe(false);
    expect(fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('restores the cursor after reopening', () => {
    const writer = AttemptLogWriter.open(logFile, dir);
    writer.appendStreamLines([{ nanos: 1n, text: 'a' }], { lastNanos: '1', sameCount: 1 });
    expect(AttemptLogWriter.open(logFile, dir).cursor()).toEqual({ lastNanos: '1', sameCount: 1 });
  });

  it('cuts lines written after the last saved state', () => {
    const writer = AttemptLogWriter.open(logFile, dir);
    writer.appendStreamLines([{ nanos: 1714564800000000000n, text: 'saved' }], { lastNanos: '1714564800000000000', sameCount: 1 });
    // A server killed between appending and saving the state leaves this line behind.
    fs.appendFileSync(logFile, '2024-05-01T12:00:01.000Z stdout unsaved\n');

    AttemptLogWriter.open(logFile, dir);
    expect(fs.readFileSync(logFile, 'utf8')).toBe('2024-05-01T12:00:00.000Z stdout saved\n');
  });

  it('starts empty when the state file is missing', () => {
    fs.writeFileSync(logFile, 'partial line from a crash');
    const writer = AttemptLogWriter.open(logFile, dir);
    expect(fs.readFileSync(logFile, 'utf8')).toBe('');
    expect(writer.cursor()).toBeUndefined();
    expect(fs.existsSync(path.join(dir, LOG_STATE_FILE))).toBe(false);
  });
});

describe('AttemptLogWriter.close', () => {
  it('ignores appends after closing', () => {
    const writer = AttemptLogWriter.open(logFile, dir);
    writer.appendSystem('before', new Date('2024-05-01T12:00:00Z'));
    writer.close();
    writer.appendSystem('after');
    writer.appendStreamLines([{ nanos: 1n, text: 'late' }], { lastNanos: '1', sameCount: 1 });
    expect(fs.readFileSync(logFile, 'utf8')).toBe('2024-05-01T12:00:00.000Z system before\n');
  });
});
