import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AttemptHandle, AttemptResult, AttemptSpec } from '../types';
import { ProcessExecutor, type ProcessAttemptRef } from './process-executor';
import { readStartTicks } from './process-identity';

const LOG_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (stdout|stderr|system) (.*)$/;

let root: string;
let handles: AttemptHandle[];
const executor = new ProcessExecutor({ pollIntervalMs: 100 });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-process-'));
  handles = [];
});

afterEach(async () => {
  await Promise.all(handles.map((handle) => handle.cancel()));
  await Promise.all(handles.map((handle) => handle.result));
  fs.rmSync(root, { recursive: true, force: true });
});

/** Checks that a result carries the supervisor's end time, then drops it for exact comparison. */
function withoutEndTime(result: AttemptResult): Omit<AttemptResult, 'finishedAt'> {
  expect(result.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const rest: Omit<AttemptResult, 'finishedAt'> & { finishedAt?: string } = { ...result };
  delete rest.finishedAt;
  return rest;
}

function makeSpec(overrides: Partial<AttemptSpec> & { argv: string[] }): AttemptSpec {
  const attemptDir = path.join(root, 'runs', 'run1', 'step', '1');
  return {
    runId: 'run1',
    stepId: 'step',
    attempt: 1,
    secretEnv: [],
    attemptDir,
    stepName: 'Step',
    image: 'alpine:3',
    env: {},
    logFile: path.join(attemptDir, 'log'),
    outputs: [],
    inputArtifacts: {},
    ...overrides,
  };
}

async function start(spec: AttemptSpec): Promise<AttemptHandle> {
  const handle = await executor.start(spec);
  handles.push(handle);
  return handle;
}

function readLog(spec: AttemptSpec): { source: string; text: string }[] {
  return fs
    .readFileSync(spec.logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = LOG_LINE.exec(line);
      if (!match) throw new Error(`log line has the wrong format: ${line.slice(0, 200)}`);
      return { source: match[2]!, text: match[3]! };
    });
}

function outputLines(spec: AttemptSpec): string[] {
  return readLog(spec)
    .filter((line) => line.source !== 'system')
    .map((line) => `${line.source} ${line.text}`);
}

function isAlive(pid: number): boolean {
  return readStartTicks(pid) !== undefined;
}

/** Pids of the live processes whose process group is `pgid`, from /proc. */
function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while the directory was read.
    }
  }
  return members;
}

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ProcessExecutor', () => {
  it('logs stdout and stderr lines', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'echo one; echo two >&2; echo three'] });
    const result = await (await start(spec)).result;

    expect(withoutEndTime(result)).toEqual({ status: 'succeeded', exitCode: 0, reason: 'Completed', message: null, outputs: {} });
    const lines = readLog(spec);
    expect(lines[0]).toEqual({
      source: 'system',
      text: expect.stringMatching(/^started `sh` as process \d+ in .*\/workspace \(the process executor does not use the image `alpine:3`\)$/),
    });
    expect(outputLines(spec).sort()).toEqual(['stderr two', 'stdout one', 'stdout three']);
    expect(lines.filter((line) => line.source === 'stdout').map((line) => line.text)).toEqual(['one', 'three']);
    expect(lines[lines.length - 1]).toEqual({ source: 'system', text: 'exited with code 0' });
  });

  it('logs long, partial and invalid lines', async () => {
    const script = [
      "process.stdout.write('a'.repeat(70000) + '\\n');",
      "process.stdout.write(Buffer.from([0x62, 0xff, 0x63, 0x0a]));",
      "process.stdout.write('crlf\\r\\n');",
      "process.stdout.write('no newline at the end');",
    ].join('');
    const spec = makeSpec({ argv: [process.execPath, '-e', script] });
    const result = await (await start(spec)).result;

    expect(result.status).toBe('succeeded');
    expect(outputLines(spec)).toEqual([
      `stdout ${'a'.repeat(65536)}`,
      `stdout ${'a'.repeat(70000 - 65536)}`,
      'stdout b\uFFFDc',
      'stdout crlf',
      'stdout no newline at the end',
    ]);
  });

  it('passes a minimal environment', async () => {
    process.env.PIPEDECK_TEST_SERVER_SECRET = 'server-token';
    try {
      const spec = makeSpec({ argv: ['sh', '-c', 'env | sort'], env: { GREETING: 'hello world' } });
      const result = await (await start(spec)).result;
      expect(result.status).toBe('succeeded');

      const variables = new Map(
        readLog(spec)
          .filter((line) => line.source === 'stdout')
          .map((line) => [line.text.slice(0, line.text.indexOf('=')), line.text.slice(line.text.indexOf('=') + 1)]),
      );
      expect(variables.has('PIPEDECK_TEST_SERVER_SECRET')).toBe(false);
      expect(variables.get('GREETING')).toBe('hello world');
      expect(variables.get('HOME')).toBe(path.join(spec.attemptDir, 'workspace'));
      expect(variables.get('TMPDIR')).toBe(path.join(spec.attemptDir, 'tmp'));
      expect(variables.get('PATH')).toBe(process.env.PATH);
      expect(variables.get('PWD')).toBe(path.join(spec.attemptDir, 'workspace'));
    } finally {
      delete process.env.PIPEDECK_TEST_SERVER_SECRET;
    }
  });

  it('runs in the given working directory', async () => {
    const workingDir = fs.mkdtempSync(path.join(root, 'work-'));
    const spec = makeSpec({ argv: ['pwd'], workingDir });
    await (await start(spec)).result;

    expect(outputLines(spec)).toEqual([`stdout ${workingDir}`]);
  });

  it('fails on a missing working directory', async () => {
    const spec = makeSpec({ argv: ['pwd'], workingDir: '/no/such/pipedeck/dir' });
    const result = await (await start(spec)).result;

    const message =
      'working directory /no/such/pipedeck/dir does not exist on this machine; the process executor runs commands on the host';
    expect(withoutEndTime(result)).toEqual({ status: 'failed', exitCode: null, reason: 'WorkingDirNotFound', message, outputs: {} });
  });

  it('fails on a missing program', async () => {
    const spec = makeSpec({ argv: ['pipedeck-no-such-program', 'train.py'] });
    const result = await (await start(spec)).result;

    const message = 'pipedeck-no-such-program: not found on this machine; the process executor runs commands on the host';
    expect(withoutEndTime(result)).toEqual({ status: 'failed', exitCode: null, reason: 'ProgramNotFound', message, outputs: {} });
    expect(readLog(spec)).toEqual([{ source: 'system', text: message }]);
  });

  it('fails on a non-zero exit code', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'echo bad input >&2; exit 3'] });
    const result = await (await start(spec)).result;

    expect(withoutEndTime(result)).toEqual({ status: 'failed', exitCode: 3, reason: 'Error', message: 'exited with code 3', outputs: {} });
    expect(outputLines(spec)).toEqual(['stderr bad input']);
  });

  it('names the killing signal', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'kill -KILL $$'] });
    const result = await (await start(spec)).result;

    expect(withoutEndTime(result)).toEqual({ status: 'failed', exitCode: null, reason: 'Error', message: 'killed by signal SIGKILL', outputs: {} });
  });

  it('reads value and artifact outputs', async () => {
    const outputs = [
      { name: 'accuracy', type: 'number' as const },
      { name: 'model', type: 'artifact' as const },
      { name: 'reports', type: 'artifact' as const },
    ];
    const paths = executor.stepPaths(makeSpec({ argv: [] }), outputs, {});
    const script =
      'printf "0.93\\n" > "$1"; printf "12345" > "$2"; mkdir "$3"; printf "abc" > "$3/a"; mkdir "$3/sub"; printf "de" > "$3/sub/b"';
    const spec = makeSpec({
      argv: ['sh', '-c', script, 'sh', paths.outputs.accuracy!, paths.outputs.model!, paths.outputs.reports!],
      outputs,
    });
    const result = await (await start(spec)).result;

    expect(paths.outputs).toEqual({
      accuracy: path.join(spec.attemptDir, 'outputs', 'accuracy'),
      model: path.join(spec.attemptDir, 'outputs', 'model'),
      reports: path.join(spec.attemptDir, 'outputs', 'reports'),
    });
    expect(withoutEndTime(result)).toEqual({
      status: 'succeeded',
      exitCode: 0,
      reason: 'Completed',
      message: null,
      outputs: {
        accuracy: { type: 'value', value: '0.93' },
        model: { type: 'artifact', path: paths.outputs.model, bytes: 5 },
        reports: { type: 'artifact', path: paths.outputs.reports, bytes: 5 },
      },
    });
  });

  it('fails on a missing output', async () => {
    const spec = makeSpec({ argv: ['true'], outputs: [{ name: 'result', type: 'string' }] });
    const result = await (await start(spec)).result;

    const file = path.join(spec.attemptDir, 'outputs', 'result');
    expect(withoutEndTime(result)).toEqual({
      status: 'failed',
      exitCode: 0,
      reason: 'OutputMissing',
      message: `output \`result\` was not written: no file at ${file}`,
      outputs: {},
    });
  });

  it('fails on a value output over 64 KiB', async () => {
    const file = path.join(root, 'runs', 'run1', 'step', '1', 'outputs', 'big');
    const spec = makeSpec({ argv: ['sh', '-c', 'head -c 70000 /dev/zero > "$1"', 'sh', file], outputs: [{ name: 'big', type: 'json' }] });
    const result = await (await start(spec)).result;

    expect(result.reason).toBe('OutputMissing');
    expect(result.message).toBe(
      `output \`big\` at ${file} is 70000 bytes; a json output may be at most 65536 bytes, so declare it as an artifact`,
    );
  });

  it('cancel kills the step and its children', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'sleep 1000 & sleep 1000; wait'] });
    const handle = await start(spec);
    const ref = handle.ref as unknown as ProcessAttemptRef;

    const members = await waitFor(() => {
      const pids = processGroupMembers(ref.stepPgid!);
      return pids.length === 3 ? pids : undefined;
    }, 'sh and its two sleep processes');
    expect(members).toContain(ref.stepPid);

    await handle.cancel();
    const result = await handle.result;

    expect(withoutEndTime(result)).toEqual({ status: 'cancelled', exitCode: null, reason: 'Cancelled', message: 'cancelled on request', outputs: {} });
    for (const pid of members) expect(isAlive(pid), `process ${pid}`).toBe(false);
    // The supervisor exits right after writing exit.json.
    await waitFor(() => (isAlive(ref.supervisorPid) ? undefined : true), 'the supervisor to exit');
    expect(readLog(spec).at(-2)).toEqual({ source: 'system', text: 'cancel requested: stopping the step' });
  });

  it('kills the step at its timeout', async () => {
    const spec = makeSpec({ argv: ['sleep', '1000'], timeoutSeconds: 1 });
    const result = await (await start(spec)).result;

    expect(withoutEndTime(result)).toEqual({ status: 'failed', exitCode: null, reason: 'Timeout', message: 'timed out after 1 s', outputs: {} });
  });

  it('reattaches to a running attempt', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'echo before; sleep 1; echo after'] });
    const first = await start(spec);

    const second = await new ProcessExecutor({ pollIntervalMs: 100 }).reattach(spec, first.ref);
    expect(second).toBeDefined();
    handles.push(second!);
    const result = await second!.result;

    expect(result.status).toBe('succeeded');
    expect(outputLines(spec)).toEqual(['stdout before', 'stdout after']);
  });

  it('reattaches without a stored ref', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'sleep 1; exit 4'] });
    const first = await start(spec);

    const second = await executor.reattach(spec, null);
    expect(second?.ref).toEqual(first.ref);
    expect(withoutEndTime(await second!.result)).toEqual({ status: 'failed', exitCode: 4, reason: 'Error', message: 'exited with code 4', outputs: {} });
  });

  it('reattaches to a finished attempt', async () => {
    const spec = makeSpec({ argv: ['sh', '-c', 'echo 42 > "$1"', 'sh', path.join(root, 'runs', 'run1', 'step', '1', 'outputs', 'answer')], outputs: [{ name: 'answer', type: 'number' }] });
    const first = await start(spec);
    await first.result;

    const second = await executor.reattach(spec, first.ref);
    expect(withoutEndTime(await second!.result)).toEqual({
      status: 'succeeded',
      exitCode: 0,
      reason: 'Completed',
      message: null,
      outputs: { answer: { type: 'value', value: '42' } },
    });
  });

  it('reattach returns undefined when killed', async () => {
    const spec = makeSpec({ argv: ['sleep', '1000'] });
    const first = await start(spec);
    const ref = first.ref as unknown as ProcessAttemptRef;

    process.kill(ref.supervisorPid, 'SIGKILL');
    process.kill(-ref.stepPgid!, 'SIGKILL');
    await waitFor(() => (isAlive(ref.supervisorPid) || isAlive(ref.stepPid!) ? undefined : true), 'the processes to end');

    expect(await executor.reattach(spec, first.ref)).toBeUndefined();
    expect((await first.result).reason).toBe('Lost');
  });

  it('fails as Lost when the supervisor dies', async () => {
    const spec = makeSpec({ argv: ['sleep', '1000'] });
    const handle = await start(spec);
    const ref = handle.ref as unknown as ProcessAttemptRef;

    process.kill(ref.supervisorPid, 'SIGKILL');
    const result = await handle.result;

    expect(result).toEqual({
      status: 'failed',
      exitCode: null,
      reason: 'Lost',
      message: "the step's supervisor process ended without recording how the step exited",
      outputs: {},
    });
    await waitFor(() => (isAlive(ref.stepPid!) ? undefined : true), 'the orphaned step to be killed');
  });

  it('reports availability', async () => {
    expect(await executor.checkAvailability()).toEqual({
      available: true,
      detail: 'steps run as processes on this machine, with the commands installed here; the step image is not used',
    });
    const missing = new ProcessExecutor({ supervisorPath: '/no/such/supervisor.mjs' });
    expect(await missing.checkAvailability()).toEqual({
      available: false,
      reason:
        "the process executor's supervisor script is missing at /no/such/supervisor.mjs; start Pipedeck from its repository root or set PIPEDECK_ROOT",
    });
  });
});
