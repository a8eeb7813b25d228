/**
 * The process executor: runs each step attempt as a host process under a small detached supervisor
 * (`supervisor.mjs`), so steps keep running and logging while the server restarts. The server side
 * only reads the files the supervisor writes into the attempt directory.
 *
 * The step's image is not used. Argv is spawned directly (never through a shell), in its own process
 * group, with a minimal environment (see `step-env.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Logger } from '../../logger';
import type { JsonValue } from '../../pipeline/schema';
import type {
  AttemptHandle,
  AttemptLocation,
  AttemptResult,
  AttemptSpec,
  Availability,
  Executor,
  StepPaths,
} from '../types';
import { attemptDirectories, readExitRecord, readStartedRecord, type ExitRecord, type StartedRecord } from './attempt-files';
import { resultFromExit } from './attempt-result';
import { launchSupervisor } from './launch-supervisor';
import { outputPath } from './outputs';
import { isSameProcessAlive, sendSignal, type ProcessIdentity } from './process-identity';
import { buildStepEnv } from './step-env';
import { watchAttemptDir } from './watch-attempt-dir';

export interface ProcessExecutorOptions {
  /**
   * Path of `supervisor.mjs`. Default: `lib/executors/process/supervisor.mjs` under
   * `PIPEDECK_ROOT`, or under the current directory, which is the repository root both for vitest
   * and for `next start`. A bundler cannot be relied on to keep a separate script next to the
   * compiled module, so the path is resolved from the repository instead of `import.meta.url`.
   */
  supervisorPath?: string;
  /** Time between SIGTERM and SIGKILL on cancel or timeout. Default 5000 ms. */
  killGraceMs?: number;
  /** How often to re-check an attempt directory and the supervisor's liveness. Default 500 ms. */
  pollIntervalMs?: number;
  /** How long the supervisor may take to start the step. Default 15000 ms. */
  startTimeoutMs?: number;
  logger?: Logger;
}

/** The executor ref stored with an attempt: enough to find and check the supervisor after a restart. */
export interface ProcessAttemptRef {
  supervisorPid: number;
  supervisorStartTicks: number | null;
  stepPid: number | null;
  /** The step leads its own process group, so this equals `stepPid`. */
  stepPgid: number | null;
  stepStartTicks: number | null;
  bootId: string | null;
  startedAt: string;
}

const LOST_MESSAGE = "the step's supervisor process ended without recording how the step exited";

export function defaultSupervisorPath(): string {
  return path.join(process.env.PIPEDECK_ROOT ?? process.cwd(), 'lib', 'executors', 'process', 'supervisor.mjs');
}

export class ProcessExecutor implements Executor {
  readonly name = 'process' as const;
  readonly supportsSecrets = false;
  private readonly supervisorPath: string;
  private readonly killGraceMs: number;
  private readonly pollIntervalMs: number;
  private readonly startTimeoutMs: number;
  private readonly logger: Logger | undefined;

  constructor(options: ProcessExecutorOptions = {}) {
    this.supervisorPath = options.supervisorPath ?? defaultSupervisorPath();
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.startTimeoutMs = options.startTimeoutMs ?? 15_000;
    this.logger = options.logger;
  }

  async checkAvailability(): Promise<Availability> {
    if (!fs.existsSync(this.supervisorPath)) {
      return {
        available: false,
        reason: `the process executor's supervisor script is missing at ${this.supervisorPath}; start Pipedeck from its repository root or set PIPEDECK_ROOT`,
      };
    }
    return {
      available: true,
      detail: 'steps run as processes on this machine, with the commands installed here; the step image is not used',
    };
  }

  stepPaths(location: AttemptLocation, outputs: { name: string }[], inputArtifacts: Record<string, string>): StepPaths {
    const outputPaths: Record<string, string> = {};
    for (const output of outputs) outputPaths[output.name] = outputPath(location.attemptDir, output.name);
    // Artifacts from upstream steps are read in place: the step gets their host paths.
    return { outputs: outputPaths, inputArtifacts: { ...inputArtifacts } };
  }

  async start(spec: AttemptSpec): Promise<AttemptHandle> {
    const directories = attemptDirectories(spec.attemptDir);
    for (const directory of Object.values(directories)) fs.mkdirSync(directory, { recursive: true });
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });

    const outcome = await launchSupervisor(
      {
        argv: spec.argv,
        env: buildStepEnv(spec.env, directories),
        // A relative working directory is taken inside the workspace, never the server's directory.
        cwd: spec.workingDir ? path.resolve(directories.workspace, spec.workingDir) : directories.workspace,
        logFile: spec.logFile,
        attemptDir: spec.attemptDir,
        image: spec.image,
        killGraceMs: this.killGraceMs,
        timeoutSeconds: spec.timeoutSeconds ?? null,
      },
      { supervisorPath: this.supervisorPath, startTimeoutMs: this.startTimeoutMs, pollIntervalMs: this.pollIntervalMs },
    );

    const startedAt = new Date().toISOString();
    if (outcome.kind === 'failed') {
      this.logger?.error({ runId: spec.runId, stepId: spec.stepId, attempt: spec.attempt, error: outcome.message }, 'supervisor failed');
      const result: AttemptResult = { status: 'failed', exitCode: null, reason: 'Error', message: outcome.message, outputs: {} };
      return settledHandle(refFrom(outcome.supervisorPid ?? 0, undefined, startedAt), result);
    }

    const ref = refFrom(outcome.supervisorPid, outcome.started, startedAt);
    if (outcome.kind === 'exited') return settledHandle(ref, await this.settle(spec, outcome.exit));
    return this.follow(spec, ref);
  }

  async reattach(spec: AttemptSpec, storedRef: JsonValue): Promise<AttemptHandle | undefined> {
    const started = readStartedRecord(spec.attemptDir);
    // The ref may be missing when the server stopped between spawning and storing it; the supervisor's
    // own started.json then identifies it.
    const ref = parseRef(storedRef) ?? (started ? refFrom(started.supervisorPid, started, started.startedAt) : undefined);

    const exit = readExitRecord(spec.attemptDir);
    if (exit) return settledHandle(ref ?? null, await this.settle(spec, exit));
    if (!ref) return undefined;

    if (isSameProcessAlive(supervisorIdentity(ref))) return this.follow(spec, ref);

    // The supervisor may have written exit.json and ended between the two checks above.
    const lateExit = readExitRecord(spec.attemptDir);
    if (lateExit) return settledHandle(ref, await this.settle(spec, lateExit));
    killOrphanedStep(ref);
    return undefined;
  }

  /** Follows a running supervisor until exit.json appears or the supervisor is gone. */
  private follow(spec: AttemptSpec, ref: ProcessAttemptRef): AttemptHandle {
    let cancelRequested = false;
    let settled = false;

    const watch = watchAttemptDir<ExitRecord | 'lost'>(
      spec.attemptDir,
      () => {
        const exit = readExitRecord(spec.attemptDir);
        if (exit) return exit;
        if (isSameProcessAlive(supervisorIdentity(ref))) return undefined;
        return readExitRecord(spec.attemptDir) ?? 'lost';
      },
      this.pollIntervalMs,
    );

    const result = watch.done
      .then(async (outcome): Promise<AttemptResult> => {
        if (outcome !== 'lost') return this.settle(spec, outcome);

        killOrphanedStep(ref);
        if (cancelRequested) {
          return { status: 'cancelled', exitCode: null, reason: 'Cancelled', message: 'cancelled on request', outputs: {} };
        }
        this.logger?.warn({ runId: spec.runId, stepId: spec.stepId, attempt: spec.attempt }, LOST_MESSAGE);
        return { status: 'failed', exitCode: null, reason: 'Lost', message: LOST_MESSAGE, outputs: {} };
      })
      .catch((error: unknown) => failedResult(`could not read how the step ended: ${describeError(error)}`))
      .finally(() => (settled = true));

    return {
      ref: { ...ref },
      result,
      cancel: async () => {
        if (settled) return;
        cancelRequested = true;
        // On SIGTERM the supervisor sends SIGTERM, then SIGKILL after the grace period, to the step's process group.
        if (isSameProcessAlive(supervisorIdentity(ref)) && sendSignal(ref.supervisorPid, 'SIGTERM')) return;
        killOrphanedStep(ref);
      },
    };
  }

  private async settle(spec: AttemptSpec, exit: ExitRecord): Promise<AttemptResult> {
    try {
      return await resultFromExit(exit, spec.attemptDir, spec.outputs, spec.timeoutSeconds);
    } catch (error) {
      return failedResult(`could not collect the step's outputs: ${describeError(error)}`);
    }
  }
}

function settledHandle(ref: ProcessAttemptRef | null, result: AttemptResult): AttemptHandle {
  return { ref: ref ? { ...ref } : null, result: Promise.resolve(result), cancel: async () => {} };
}

function failedResult(message: string): AttemptResult {
  return { status: 'failed', exitCode: null, reason: 'Error', message, outputs: {} };
}

function refFrom(supervisorPid: number, started: StartedRecord | undefined, startedAt: string): ProcessAttemptRef {
  return {
    supervisorPid,
    supervisorStartTicks: started?.supervisorStartTicks ?? null,
    stepPid: started?.stepPid ?? null,
    stepPgid: started?.stepPid ?? null,
    stepStartTicks: started?.stepStartTicks ?? null,
    bootId: started?.bootId ?? null,
    startedAt: started?.startedAt ?? startedAt,
  };
}

function parseRef(value: JsonValue): ProcessAttemptRef | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.supervisorPid !== 'number' || value.supervisorPid <= 0) return undefined;
  const numberOrNull = (field: JsonValue | undefined) => (typeof field === 'number' ? field : null);
  return {
    supervisorPid: value.supervisorPid,
    supervisorStartTicks: numberOrNull(value.supervisorStartTicks),
    stepPid: numberOrNull(value.stepPid),
    stepPgid: numberOrNull(value.stepPgid),
    stepStartTicks: numberOrNull(value.stepStartTicks),
    bootId: typeof value.bootId === 'string' ? value.bootId : null,
    startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
  };
}

function supervisorIdentity(ref: ProcessAttemptRef): ProcessIdentity {
  return { pid: ref.supervisorPid, startTicks: ref.supervisorStartTicks, bootId: ref.bootId };
}

/**
 * Kills the step's process group when its supervisor is gone but the step still runs, because no
 * process would record its log or its exit, and a retry must not run beside it. Only a step whose identity is
 * confirmed by its /proc start time is killed, never a process that merely reuses the pid.
 */
function killOrphanedStep(ref: ProcessAttemptRef): void {
  if (ref.stepPgid === null || ref.stepPid === null || ref.stepStartTicks === null) return;
  if (!isSameProcessAlive({ pid: ref.stepPid, startTicks: ref.stepStartTicks, bootId: ref.bootId })) return;
  sendSignal(-ref.stepPgid, 'SIGKILL');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
