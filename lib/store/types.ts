/**
 * The store's repository interface. SQLite (`sqlite-store.ts`) is the implementation; the engine and
 * the API depend only on this interface.
 */
import type { JsonValue, Pipeline } from '../pipeline/schema';
import type {
  AttemptRecord,
  ExecutorName,
  OutputValue,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepReason,
  StepRunRecord,
  StepStatus,
} from '../engine/types';

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  /** Latest version number, starting at 1. */
  version: number;
  stepCount: number;
  createdAt: string;
  updatedAt: string;
  lastRun: { id: string; status: RunStatus; createdAt: string } | null;
}

export interface PipelineRecord extends PipelineSummary {
  definition: Pipeline;
}

export interface PipelineVersionRecord {
  pipelineId: string;
  version: number;
  definition: Pipeline;
  createdAt: string;
}

export interface RunListQuery {
  pipelineId?: string;
  status?: RunStatus;
  /** 1..200, default 50. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface RunSummary {
  id: string;
  pipelineId: string;
  pipelineName: string;
  pipelineVersion: number;
  executor: ExecutorName;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewRun {
  pipelineId: string;
  pipelineVersion: number;
  pipeline: Pipeline;
  parameters: Record<string, JsonValue>;
  executor: ExecutorName;
}

/** Fields of a step run that change together; omitted fields keep their value. */
export interface StepRunUpdate {
  status?: StepStatus;
  reason?: StepReason | null;
  message?: string | null;
  exitCode?: number | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  inputs?: Record<string, string>;
  outputs?: Record<string, OutputValue>;
}

export interface AttemptUpdate {
  status?: AttemptRecord['status'];
  finishedAt?: string | null;
  exitCode?: number | null;
  reason?: StepReason | null;
  message?: string | null;
  executorRef?: JsonValue | null;
}

export interface Store {
  readonly dataDir: string;

  listPipelines(): PipelineSummary[];
  getPipeline(id: string): PipelineRecord | undefined;
  /** Creates the pipeline with version 1. */
  createPipeline(definition: Pipeline): PipelineRecord;
  /** Saves a new version; `expectedVersion` guards against overwriting a newer save (throws a conflict). */
  savePipelineVersion(id: string, definition: Pipeline, expectedVersion?: number): PipelineRecord;
  listPipelineVersions(id: string): PipelineVersionRecord[];
  getPipelineVersion(id: string, version: number): PipelineVersionRecord | undefined;
  /** Deletes the pipeline and its versions; its runs stay in history with the definition they ran. */
  deletePipeline(id: string): boolean;

  /** Inserts the run (status `queued`) and one pending step run per step, in one transaction. */
  createRun(run: NewRun): RunRecord;
  getRun(id: string): RunWithSteps | undefined;
  /** Loads one step run with its attempts, without the rest of the run (for log reads that poll). */
  getStepRun(runId: string, stepId: string): StepRunRecord | undefined;
  listRuns(query: RunListQuery): { runs: RunSummary[]; nextCursor: string | null };
  /** Runs that are queued or running, oldest first: what the engine must drive or recover. */
  listActiveRuns(): RunRecord[];
  updateRun(id: string, update: Partial<Pick<RunRecord, 'status' | 'message' | 'startedAt' | 'finishedAt' | 'cancelRequested'>>): void;

  updateStepRun(runId: string, stepId: string, update: StepRunUpdate): void;
  /** Adds the next attempt (number = previous + 1) with status `running`, in one transaction with the step. */
  createAttempt(runId: string, stepId: string, startedAt: string): AttemptRecord;
  updateAttempt(runId: string, stepId: string, attempt: number, update: AttemptUpdate): void;

  /** Host directory for one attempt: `<dataDir>/runs/<runId>/<stepId>/<attempt>`. */
  attemptDir(runId: string, stepId: string, attempt: number): string;
  /** Log file of one attempt, inside its attempt directory. */
  logFile(runId: string, stepId: string, attempt: number): string;

  close(): void;
}
