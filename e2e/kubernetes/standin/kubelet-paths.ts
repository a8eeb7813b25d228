/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * How the kubelet places a container's paths on this machine: volume mounts (PersistentVolumeClaims
 * and emptyDirs) and the termination message path become host paths (see container-process.ts for
 * the rewriting), and the termination message is read back after the container ends.
 */
import fs from 'node:fs';
import path from 'node:path';

import { expandReferences } from './container-config';
import { rewritePaths, type PathMapping } from './container-process';
import type { ContainerRuntime, PodRuntime } from './kubelet-runtime';
import type { Container, PodObject } from './types';

/** The kubelet keeps at most this many bytes of a termination message file: the last ones (tail.ReadAtMost). */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
/** FallbackToLogsOnError takes at most this many of the last log lines, capped at 2048 bytes. */
const FALLBACK_LOG_LINES = 80;
const FALLBACK_LOG_MAX_BYTES = 2048;

/** Host paths for the container's volume mounts and termination message file, creating what is missing. */
export function containerPathMappings(
  pod: PodObject,
  container: Container,
  runtime: PodRuntime,
  claimDirectory: (claimName: string) => string | undefined,
): PathMapping[] {
  const mappings: PathMapping[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.spec.volumes?.find((candidate) => candidate.name === mount.name);
    let base: string | undefined;
    if (volume?.persistentVolumeClaim) base = claimDirectory(volume.persistentVolumeClaim.claimName);
    else if (volume?.emptyDir) base = path.join(runtime.dir, 'volumes', volume.name);
    if (base === undefined) continue;

    const hostPath = mount.subPath ? path.join(base, mount.subPath) : base;
    fs.mkdirSync(hostPath, { recursive: true });
    mappings.push({ containerPath: mount.mountPath.replace(/\/+$/, ''), hostPath });
  }

  const runtimeContainer = runtime.containers.get(container.name);
  if (runtimeContainer) {
    mappings.push({ containerPath: container.terminationMessagePath ?? '/dev/termination-log', hostPath: runtimeContainer.terminationFile });
  }
  return mappings;
}

/**
 * Command then args, with `$(VAR)` expanded from the container env and container paths mapped.
 * NOTE: with no command the image's entrypoint would run; the stand-in has no image, so args alone
 * are the argv.
 */
export function containerArgv(container: Container, env: Record<string, string>, mappings: PathMapping[]): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])].map((argument) =>
    rewritePaths(expandReferences(argument, env), mappings),
  );
}

export function containerEnv(env: Record<string, string>, mappings: PathMapping[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, rewritePaths(value, mappings)]));
}

/**
 * The process's working directory: the mapped workingDir when it lies on a volume, else the
 * workingDir under the pod's own root directory (created, as container runtimes create it).
 */
export function containerWorkingDir(container: Container, mappings: PathMapping[], runtime: PodRuntime): string {
  const rootfs = path.join(runtime.dir, 'rootfs');
  if (!container.workingDir) return rootfs;
  const mapped = rewritePaths(container.workingDir, mappings);
  return mapped !== container.workingDir ? mapped : path.join(rootfs, container.workingDir);
}

/**
 * The terminated state's message: the termination message file (its last 4096 bytes), or with
 * FallbackToLogsOnError and an empty file after a failure, the last log lines.
 */
export function readTerminationMessage(container: Container, runtime: ContainerRuntime, exitCode: number): string {
  let message = '';
  try {
    const handle = fs.openSync(runtime.terminationFile, 'r');
    try {
      const size = fs.fstatSync(handle).size;
      const start = Math.max(0, size - TERMINATION_MESSAGE_MAX_BYTES);
      const buffer = Buffer.alloc(Math.min(size, TERMINATION_MESSAGE_MAX_BYTES));
      const bytes = fs.readSync(handle, buffer, 0, buffer.length, start);
      message = buffer.subarray(0, bytes).toString('utf8');
    } finally {
      fs.closeSync(handle);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  if (message === '' && exitCode !== 0 && container.terminationMessagePolicy === 'FallbackToLogsOnError') {
    const tail = runtime.logs.tail(FALLBACK_LOG_LINES);
    message = Buffer.from(tail).subarray(-FALLBACK_LOG_MAX_BYTES).toString('utf8');
  }
  return message;
}
