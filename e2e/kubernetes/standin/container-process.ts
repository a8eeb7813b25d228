/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Runs one container as a real local process. There is no image and no mount namespace, so the
 * kubelet maps the container's paths onto this machine by rewriting strings. Each occurrence of a
 * volume mountPath or of the termination message path in command, args, env values and workingDir
 * becomes the host directory or file behind it. A path the program builds at run time, or reads
 * from a file, is not rewritten.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

import type { LogBuffer } from './log-buffer';

/** A path inside the container and the host path the stand-in uses for it. */
export interface PathMapping {
  containerPath: string;
  hostPath: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces each container path in `text` by its host path. A path matches only as a whole path
 * prefix: not preceded by a path character and followed by `/`, the end, or a non-path character.
 */
export function rewritePaths(text: string, mappings: PathMapping[]): string {
  const ordered = [...mappings].sort((a, b) => b.containerPath.length - a.containerPath.length);
  let result = text;
  for (const mapping of ordered) {
    const pattern = new RegExp(`(?<![\\w./-])${escapeRegExp(mapping.containerPath)}(?=/|$|[^\\w.-])`, 'g');
    result = result.replace(pattern, () => mapping.hostPath);
  }
  return result;
}

export interface ContainerLaunch {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logs: LogBuffer;
  /** Called once the process runs. */
  onStarted(pid: number): void;
  /** Called once the process has exited and its output is drained. */
  onExit(exit: { exitCode: number; signal: NodeJS.Signals | null }): void;
  /** Called instead of `onExit` when the program cannot be started (e.g. not found). */
  onStartError(error: NodeJS.ErrnoException): void;
}

/**
 * Spawns the argv directly (no shell) as the leader of a new process group, so the whole group
 * can be signalled. The environment is the pod's plus PATH and HOME, as a container runtime adds
 * a default PATH.
 */
export function startContainerProcess(launch: ContainerLaunch): ChildProcess | undefined {
  const [program, ...args] = launch.argv;
  if (program === undefined) {
    launch.onStartError(Object.assign(new Error('no command'), { code: 'ENOENT' }));
    return undefined;
  }
  fs.mkdirSync(launch.cwd, { recursive: true });

  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: os.tmpdir(), ...launch.env };
  const child = spawn(program, args, {
    cwd: launch.cwd,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let started = false;
  child.once('spawn', () => {
    started = true;
    launch.onStarted(child.pid as number);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => launch.logs.write('stdout', chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => launch.logs.write('stderr', chunk));
  child.once('error', (error: NodeJS.ErrnoException) => {
    if (!started) launch.onStartError(error);
  });
  // When a container's main process ends, the runtime kills whatever else runs in it. That also
  // closes the pipes a leftover child holds, so 'close' follows once both pipes are drained.
  child.once('exit', () => signalGroup(child.pid, 'SIGKILL'));
  child.once('close', (code, signal) => {
    if (!started) return;
    const signalNumber = signal ? (os.constants.signals[signal] ?? 0) : 0;
    launch.onExit({ exitCode: code ?? 128 + signalNumber, signal });
  });
  return child;
}

/** Sends `signal` to the process group led by `pid`; a group that is already gone is ignored. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
