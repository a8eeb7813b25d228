import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readResult, saveResult } from './result-record';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-k8s-result-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('result record', () => {
  it('keeps the end time across a restart', () => {
    const result = { status: 'failed' as const, exitCode: 2, reason: 'Error', message: 'exited with code 2', outputs: {}, finishedAt: '2024-05-01T12:00:07.999Z' };
    saveResult(dir, result);
    expect(readResult(dir)).toEqual(result);
  });

  it('reads a result saved without an end time', () => {
    fs.writeFileSync(path.join(dir, 'kubernetes-result.json'), JSON.stringify({ status: 'succeeded', exitCode: 0, reason: 'Completed', message: null, outputs: {} }));
    expect(readResult(dir)).toEqual({ status: 'succeeded', exitCode: 0, reason: 'Completed', message: null, outputs: {} });
  });
});
