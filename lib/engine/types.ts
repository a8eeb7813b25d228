/**
 * Run, step and attempt records as the store keeps them and the API returns them.
 */
import type { JsonValue, Pipeline } from '../pipeline/schema';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const ATTEMPT_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const EXECUTOR_NAMES = ['process', 'docker', 'kubernetes'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

/**
 * Why a step or attempt ended the way it did. Executors may add their own (e.g. `OOMKilled`,
 * `ImagePullBackOff`), so the type stays open.
 */
export type StepReason =
  | 'Completed'
  | 'Error'
  | 'ProgramNotFound'
  | 'OutputMissing'
  | 'UpstreamFailed'
  | 'FailFast'
  | 'Cancelled'
  | 'Lost'
  | (string & {});

export function isTerminalRunStatus(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export function isTerminalStepStatus(status: StepStatus): boolean {
  return status !== 'pending' && status !== 'running';
}

/** A step output after the step ended: a small value, or the stored location of an artifact. */
export type OutputValue =
  | { type: 'value'; value: string }
  /** `bytes` is null where Pipedeck cannot read the artifact (e.g. on a cluster volume). */
  | { type: 'artifact'; path: string; bytes: number | null };

export interface AttemptRecord {
  runId: string;
  stepId: string;
  /** 1-based. */
  number: number;
  status: AttemptStatus;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  reason: StepReason | null;
  message: string | null;
  /** Executor-specific handle stored so the attempt can be re-attached after a restart. */
  executorRef: JsonValue | null;
}

export interface StepRunRecord {
  runId: string;
  stepId: string;
  name: string;
  status: StepStatus;
  reason: StepReason | null;
  message: string | null;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Resolved input values as the step received them (artifact inputs as stored paths). */
  inputs: Record<string, string>;
  outputs: Record<string, OutputValue>;
  attempts: AttemptRecord[];
}

export interface RunRecord {
  id: string;
  pipelineId: string;
  pipelineName: string;
  pipelineVersion: number;
  /** The pipeline definition as it was when the run started, so history survives edits and deletes. */
  pipeline: Pipeline;
  parameters: Record<string, JsonValue>;
  executor: ExecutorName;
  status: RunStatus;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
}

export interface RunWithSteps extends RunRecord {
  steps: StepRunRecord[];
}
