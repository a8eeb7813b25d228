// Supervisor of one step attempt of the process executor.
//
// The Pipedeck server starts this script detached (its own session, `process.execPath` as the
// interpreter) so the step outlives a server restart. It reads its configuration from the file named
// by its only argument and deletes that file at once, because it contains the step's environment
// (secrets included). Then it:
//   1. spawns the step's argv directly (no shell) as the leader of a new process group;
//   2. writes `started.json` (its own and the step's pid and /proc start time) into the attempt dir;
//   3. appends every stdout/stderr line to the log file as `<ISO time> <stdout|stderr|system> <text>`;
//   4. on SIGTERM (a cancel) or at the step's timeout sends SIGTERM to the step's process group,
//      then SIGKILL after the grace period;
//   5. when the step's main process ends, kills what is left of its process group (as a container
//      runtime does when the main process exits), drains the pipes and writes `exit.json` atomically.
//
// Plain JavaScript with no imports outside Node's standard library, so it runs the same from vitest,
// `next start` and a CLI. The file names and JSON shapes are mirrored in `attempt-files.ts`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINE_BYTES = 64 * 1024;
const PIPE_DRAIN_TIMEOUT_MS = 2000;

const configPath = process.argv[2];
if (!configPath) {
  process.stderr.write('usage: supervisor.mjs CONFIG_FILE\n');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
fs.rmSync(configPath, { force: true });

const logFd = fs.openSync(config.logFile, 'a', 0o640);
let stepPid = null;
let cancelled = false;
let timedOut = false;
let terminating = false;
let stepExited = false;
let finished = false;

process.on('SIGHUP', () => {});
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {
  if (stepPid === null || terminating || stepExited) return;
  cancelled = true;
  writeSystemLine('cancel requested: stopping the step');
  terminateStep();
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`${new Date().toISOString()} supervisor error: ${error.stack ?? error}\n`);
  if (stepPid !== null) signalGroup('SIGKILL');
  writeExit({ exitCode: null, signal: null, supervisorError: String(error.message ?? error) });
  process.exit(1);
});

if (!isDirectory(config.cwd)) {
  const message = `working directory ${config.cwd} does not exist on this machine; the process executor runs commands on the host`;
  writeSystemLine(message);
  writeExit({ exitCode: null, signal: null, spawnError: { code: 'WorkingDirNotFound', message } });
  process.exit(0);
}

const child = spawn(config.argv[0], config.argv.slice(1), {
  cwd: config.cwd,
  env: config.env,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});

child.on('error', (error) => {
  // Errors after a successful spawn come from kill() and are harmless here (the group may be gone).
  if (stepPid !== null) return;
  const message = describeSpawnError(error, config.argv[0]);
  writeSystemLine(message);
  writeExit({ exitCode: null, signal: null, spawnError: { code: error.code ?? 'UNKNOWN', message } });
  process.exit(0);
});

if (child.pid !== undefined) {
  stepPid = child.pid;
  writeJsonAtomically(path.join(config.attemptDir, 'started.json'), {
    supervisorPid: process.pid,
    supervisorStartTicks: readStartTicks('self'),
    stepPid,
    stepStartTicks: readStartTicks(String(stepPid)),
    bootId: readBootId(),
    startedAt: new Date().toISOString(),
  });
  writeSystemLine(
    `started \`${config.argv[0]}\` as process ${stepPid} in ${config.cwd}` +
      (config.image ? ` (the process executor does not use the image \`${config.image}\`)` : ''),
  );

  const streams = [captureLines(child.stdout, 'stdout'), captureLines(child.stderr, 'stderr')];
  if (config.timeoutSeconds) {
    setTimeout(() => {
      if (terminating || stepExited) return;
      timedOut = true;
      writeSystemLine(`timed out after ${config.timeoutSeconds} s: stopping the step`);
      terminateStep();
    }, config.timeoutSeconds * 1000).unref();
  }

  child.on('exit', (code, signal) => {
    stepExited = true;
    // Whatever the main process left behind in its group dies with it, so nothing keeps running
    // unseen and the pipes reach end-of-file.
    signalGroup('SIGKILL');
    const drained = Promise.all(streams.map((stream) => stream.ended));
    const timeout = new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_TIMEOUT_MS).unref());
    Promise.race([drained, timeout]).then(() => {
      for (const stream of streams) stream.flush();
      writeSystemLine(signal ? `killed by signal ${signal}` : `exited with code ${code}`);
      writeExit({ exitCode: code, signal });
      process.exit(0);
    });
  });
}

/** Sends SIGTERM to the step's process group now and SIGKILL after the grace period. */
function terminateStep() {
  terminating = true;
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), config.killGraceMs).unref();
}

function signalGroup(signal) {
  try {
    process.kill(-stepPid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Splits a stream into lines on "\n" bytes and appends each to the log. A line longer than
 * MAX_LINE_BYTES is cut into several entries; invalid UTF-8 becomes U+FFFD when decoded.
 */
function captureLines(stream, source) {
  let pending = Buffer.alloc(0);
  let resolveEnded;
  const ended = new Promise((resolve) => (resolveEnded = resolve));

  stream.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const entries = [];
    let start = 0;
    for (let newline = pending.indexOf(10, start); newline !== -1; newline = pending.indexOf(10, start)) {
      pushLine(entries, pending.subarray(start, newline));
      start = newline + 1;
    }
    pending = pending.subarray(start);
    while (pending.length > MAX_LINE_BYTES) {
      const cut = utf8Boundary(pending, MAX_LINE_BYTES);
      entries.push(pending.subarray(0, cut));
      pending = pending.subarray(cut);
    }
    // Copy the remainder so the (possibly large) chunk it points into can be collected.
    pending = Buffer.from(pending);
    writeEntries(source, entries);
  });
  stream.on('close', () => resolveEnded());
  stream.on('end', () => resolveEnded());

  return {
    ended,
    flush() {
      if (pending.length === 0) return;
      writeEntries(source, [pending]);
      pending = Buffer.alloc(0);
    },
  };
}

function pushLine(entries, line) {
  let rest = line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
  while (rest.length > MAX_LINE_BYTES) {
    const cut = utf8Boundary(rest, MAX_LINE_BYTES);
    entries.push(rest.subarray(0, cut));
    rest = rest.subarray(cut);
  }
  entries.push(rest);
}

/** Moves a cut point back so it does not fall inside a multi-byte UTF-8 character. */
function utf8Boundary(buffer, limit) {
  let cut = limit;
  // Continuation bytes look like 10xxxxxx; a character is at most 4 bytes long.
  while (cut > limit - 3 && (buffer[cut] & 0xc0) === 0x80) cut -= 1;
  return cut;
}

function writeEntries(source, entries) {
  if (entries.length === 0) return;
  const time = new Date().toISOString();
  const text = entries.map((entry) => `${time} ${source} ${entry.toString('utf8')}\n`).join('');
  fs.writeSync(logFd, text);
}

function writeSystemLine(text) {
  fs.writeSync(logFd, `${new Date().toISOString()} system ${text}\n`);
}

function writeExit(fields) {
  if (finished) return;
  finished = true;
  try {
    fs.fsyncSync(logFd);
  } catch {
    // A log on a file system without fsync still has its lines; exit.json matters more.
  }
  writeJsonAtomically(path.join(config.attemptDir, 'exit.json'), {
    exitCode: null,
    signal: null,
    spawnError: null,
    supervisorError: null,
    ...fields,
    cancelled,
    timedOut,
    endedAt: new Date().toISOString(),
  });
}

function writeJsonAtomically(file, value) {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o640);
  fs.writeSync(fd, JSON.stringify(value));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temporary, file);
}

function describeSpawnError(error, program) {
  if (error.code === 'ENOENT') {
    return `${program}: not found on this machine; the process executor runs commands on the host`;
  }
  if (error.code === 'EACCES') return `${program}: permission denied; the file is not executable`;
  return `${program}: could not be started: ${error.message}`;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat); null without /proc. */
function readStartTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses, so count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

function isDirectory(directory) {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

function readBootId() {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}
