/**
 * The contract every executor (process, docker, kubernetes) implements. The engine decides what runs
 * when; an executor only starts one step attempt, reports how it ended, and can cancel or re-attach it.
 */
import type { JsonValue, Pipeline, PortType, Resources, SecretEnvVar, StepSecurity } from '../pipeline/schema';
import type { ExecutorName, OutputValue, StepReason } from '../engine/types';

/** Identifies one attempt and the host directory the engine gave it. */
export interface AttemptLocation {
  runId: string;
  stepId: string;
  /** 1-based attempt number. */
  attempt: number;
  /** Host directory owned by this attempt; the executor may create anything inside it. */
  attemptDir: string;
}

/** Paths as the step's program sees them, used to render `{{outputs.NAME}}` and artifact `{{inputs.NAME}}`. */
export interface StepPaths {
  outputs: Record<string, string>;
  inputArtifacts: Record<string, string>;
}

export interface AttemptSpec extends AttemptLocation {
  stepName: string;
  image: string;
  /** Command and args with placeholders already substituted, one element per argument. */
  argv: string[];
  env: Record<string, string>;
  /** Variables taken from secret keys where the step runs; only executors with `supportsSecrets` get any. */
  secretEnv: SecretEnvVar[];
  workingDir?: string;
  /**
   * File the executor appends the step's log to, one line per entry:
   * `<ISO-8601 UTC time> <stdout|stderr|system> <text>`.
   */
  logFile: string;
  outputs: { name: string; type: PortType }[];
  /** Host paths of the upstream artifacts this step reads, by input name. */
  inputArtifacts: Record<string, string>;
  timeoutSeconds?: number;
  resources?: Resources;
  security?: StepSecurity;
}

export interface AttemptResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode: number | null;
  reason: StepReason;
  /** What a person reads in the step panel, e.g. "python3: not found on this machine". */
  message: string | null;
  outputs: Record<string, OutputValue>;
  /**
   * When the attempt ended, as the executor recorded it (ISO-8601 UTC). The engine prefers it to its
   * own clock, so an attempt that ended while the server was down keeps its real end time.
   */
  finishedAt?: string;
}

/** A started (or re-attached) attempt. */
export interface AttemptHandle {
  /** JSON the engine stores so the attempt can be found again after a server restart. */
  ref: JsonValue;
  /** Settles once the attempt has ended and its outputs are collected; never rejects. */
  result: Promise<AttemptResult>;
  /** Stops the attempt (the whole process group, container or pod); `result` then settles as cancelled. */
  cancel(): Promise<void>;
}

export type Availability = { available: true; detail: string } | { available: false; reason: string };

export interface Executor {
  readonly name: ExecutorName;
  /** Whether steps may take environment variables from secret references (checked before a run is stored). */
  readonly supportsSecrets: boolean;
  /** Tells whether this executor can run steps now, and if not, why (shown in the Run dialog). */
  checkAvailability(): Promise<Availability>;
  /**
   * Lists what this executor cannot run in a pipeline, one message per problem, so a run is rejected
   * before it is stored instead of failing at the step. Returns an empty list when all can run.
   */
  checkPipeline?(pipeline: Pipeline): string[];
  stepPaths(location: AttemptLocation, outputs: { name: string }[], inputArtifacts: Record<string, string>): StepPaths;
  start(spec: AttemptSpec): Promise<AttemptHandle>;
  /**
   * Finds an attempt started by an earlier server process from its stored ref. Returns undefined when
   * the attempt is gone and its end cannot be known, so the engine marks it lost.
   */
  reattach(spec: AttemptSpec, ref: JsonValue): Promise<AttemptHandle | undefined>;
  /**
   * Called once on engine start, after every running attempt was re-attached or marked lost, with the
   * attempts the store still counts as running. An executor deletes or adopts what it finds running
   * that is not in the list (e.g. pods left by a crash between creating the pod and storing the ref).
   */
  reconcile?(running: AttemptLocation[]): Promise<void>;
}
