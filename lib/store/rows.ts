/**
 * Row shapes as SQLite returns them, and their conversion to the records in lib/engine/types.ts.
 */
import type { JsonValue, Pipeline } from '../pipeline/schema';
import type {
  AttemptRecord,
  AttemptStatus,
  ExecutorName,
  OutputValue,
  RunRecord,
  RunStatus,
  StepRunRecord,
  StepStatus,
} from '../engine/types';
import type { PipelineSummary, RunSummary } from './types';

export interface PipelineRow {
  id: string;
  name: string;
  description: string;
  current_version: number;
  step_count: number;
  created_at: string;
  updated_at: string;
  last_run_id: string | null;
  last_run_status: string | null;
  last_run_created_at: string | null;
}

export interface RunRow {
  /** Insertion order: runs sort by it, since many can share one millisecond. */
  seq: number;
  id: string;
  pipeline_id: string;
  pipeline_name: string;
  pipeline_version: number;
  pipeline: string;
  parameters: string;
  executor: string;
  status: string;
  message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  cancel_requested: number;
}

export interface StepRunRow {
  run_id: string;
  step_id: string;
  position: number;
  name: string;
  status: string;
  reason: string | null;
  message: string | null;
  exit_code: number | null;
  started_at: string | null;
  finished_at: string | null;
  inputs: string;
  outputs: string;
}

export interface AttemptRow {
  run_id: string;
  step_id: string;
  number: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  reason: string | null;
  message: string | null;
  executor_ref: string | null;
}

export function toPipelineSummary(row: PipelineRow): PipelineSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.current_version,
    stepCount: row.step_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRun:
      row.last_run_id && row.last_run_status && row.last_run_created_at
        ? { id: row.last_run_id, status: row.last_run_status as RunStatus, createdAt: row.last_run_created_at }
        : null,
  };
}

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    pipelineName: row.pipeline_name,
    pipelineVersion: row.pipeline_version,
    executor: row.executor as ExecutorName,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    ...toRunSummary(row),
    pipeline: JSON.parse(row.pipeline) as Pipeline,
    parameters: JSON.parse(row.parameters) as Record<string, JsonValue>,
    message: row.message,
    cancelRequested: row.cancel_requested === 1,
  };
}

export function toAttemptRecord(row: AttemptRow): AttemptRecord {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    number: row.number,
    status: row.status as AttemptStatus,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    exitCode: row.exit_code,
    reason: row.reason,
    message: row.message,
    executorRef: row.executor_ref === null ? null : (JSON.parse(row.executor_ref) as JsonValue),
  };
}

export function toStepRunRecord(row: StepRunRow, attempts: AttemptRecord[]): StepRunRecord {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    name: row.name,
    status: row.status as StepStatus,
    reason: row.reason,
    message: row.message,
    exitCode: row.exit_code,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    inputs: JSON.parse(row.inputs) as Record<string, string>,
    outputs: JSON.parse(row.outputs) as Record<string, OutputValue>,
    attempts,
  };
}
