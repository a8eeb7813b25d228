/**
 * The SQLite implementation of the store (better-sqlite3, WAL mode). One database file per data
 * directory; run logs and artifacts live in files beside it under `runs/`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

import { PipedeckError } from '../errors';
import type { Pipeline } from '../pipeline/schema';
import type { AttemptRecord, RunRecord, RunWithSteps, StepRunRecord } from '../engine/types';
import { migrate } from './migrations';
import { decodeCursor, encodeCursor } from './cursor';
import {
  toAttemptRecord,
  toPipelineSummary,
  toRunRecord,
  toRunSummary,
  toStepRunRecord,
  type AttemptRow,
  type PipelineRow,
  type RunRow,
  type StepRunRow,
} from './rows';
import type {
  AttemptUpdate,
  NewRun,
  PipelineRecord,
  PipelineSummary,
  PipelineVersionRecord,
  RunListQuery,
  RunSummary,
  StepRunUpdate,
  Store,
} from './types';

const DATABASE_FILE = 'pipedeck.db';
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Generates a short random id of lower-case letters and digits, safe in URLs, file names and pod labels. */
export function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(14), (byte) => alphabet[byte % alphabet.length]).join('');
}

function now(): string {
  return new Date().toISOString();
}

const PIPELINE_SELECT = `
  SELECT p.*, r.id AS last_run_id, r.status AS last_run_status, r.created_at AS last_run_created_at
  FROM pipelines p
  LEFT JOIN runs r ON r.id = (
    SELECT id FROM runs WHERE pipeline_id = p.id ORDER BY seq DESC LIMIT 1
  )`;

/** Opens (creating if needed) the store in `dataDir` and brings its schema up to date. */
export function openStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return new SqliteStore(db, path.resolve(dataDir));
}

class SqliteStore implements Store {
  constructor(
    private readonly db: Database.Database,
    readonly dataDir: string,
  ) {}

  listPipelines(): PipelineSummary[] {
    const rows = this.db.prepare(`${PIPELINE_SELECT} ORDER BY p.updated_at DESC, p.id`).all() as PipelineRow[];
    return rows.map(toPipelineSummary);
  }

  getPipeline(id: string): PipelineRecord | undefined {
    const row = this.db.prepare(`${PIPELINE_SELECT} WHERE p.id = ?`).get(id) as PipelineRow | undefined;
    if (!row) return undefined;

    const version = this.getPipelineVersion(id, row.current_version);
    if (!version) throw new Error(`pipeline ${id} has no stored version ${row.current_version}`);
    return { ...toPipelineSummary(row), definition: version.definition };
  }

  createPipeline(definition: Pipeline): PipelineRecord {
    const id = newId();
    const createdAt = now();

    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO pipelines (id, name, description, current_version, step_count, created_at, updated_at)
           VALUES (?, ?, ?, 1, ?, ?, ?)`,
        )
        .run(id, definition.name, definition.description, definition.steps.length, createdAt, createdAt);
      this.insertVersion(id, 1, definition, createdAt);
    })();

    return this.getPipeline(id)!;
  }

  savePipelineVersion(id: string, definition: Pipeline, expectedVersion?: number): PipelineRecord {
    const savedAt = now();

    this.db.transaction(() => {
      const row = this.db.prepare('SELECT current_version FROM pipelines WHERE id = ?').get(id) as
        | { current_version: number }
        | undefined;
      if (!row) throw new PipedeckError('not_found', `pipeline ${id} not found`);
      if (expectedVersion !== undefined && expectedVersion !== row.current_version) {
        throw new PipedeckError(
          'conflict',
          `pipeline ${id} was saved as version ${row.current_version} after version ${expectedVersion} was loaded; reload it and apply your changes again`,
          { currentVersion: row.current_version },
        );
      }

      const version = row.current_version + 1;
      this.insertVersion(id, version, definition, savedAt);
      this.db
        .prepare(
          'UPDATE pipelines SET name = ?, description = ?, current_version = ?, step_count = ?, updated_at = ? WHERE id = ?',
        )
        .run(definition.name, definition.description, version, definition.steps.length, savedAt, id);
    })();

    return this.getPipeline(id)!;
  }

  listPipelineVersions(id: string): PipelineVersionRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM pipeline_versions WHERE pipeline_id = ? ORDER BY version DESC')
      .all(id) as VersionRow[];
    return rows.map(toVersionRecord);
  }

  getPipelineVersion(id: string, version: number): PipelineVersionRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM pipeline_versions WHERE pipeline_id = ? AND version = ?')
      .get(id, version) as VersionRow | undefined;
    return row ? toVersionRecord(row) : undefined;
  }

  deletePipeline(id: string): boolean {
    return this.db.prepare('DELETE FROM pipelines WHERE id = ?').run(id).changes > 0;
  }

  createRun(run: NewRun): RunRecord {
    const id = newId();
    const createdAt = now();

    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (id, pipeline_id, pipeline_name, pipeline_version, pipeline, parameters, executor, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
        )
        .run(
          id,
          run.pipelineId,
          run.pipeline.name,
          run.pipelineVersion,
          JSON.stringify(run.pipeline),
          JSON.stringify(run.parameters),
          run.executor,
          createdAt,
        );

      const insertStep = this.db.prepare(
        `INSERT INTO step_runs (run_id, step_id, position, name, status) VALUES (?, ?, ?, ?, 'pending')`,
      );
      run.pipeline.steps.forEach((step, position) => insertStep.run(id, step.id, position, step.name));
    })();

    return this.getRunRecord(id)!;
  }

  getRun(id: string): RunWithSteps | undefined {
    const run = this.getRunRecord(id);
    if (!run) return undefined;

    const attemptRows = this.db
      .prepare('SELECT * FROM attempts WHERE run_id = ? ORDER BY step_id, number')
      .all(id) as AttemptRow[];
    const attemptsByStep = new Map<string, AttemptRecord[]>();
    for (const row of attemptRows) {
      const list = attemptsByStep.get(row.step_id) ?? [];
      list.push(toAttemptRecord(row));
      attemptsByStep.set(row.step_id, list);
    }

    const stepRows = this.db
      .prepare('SELECT * FROM step_runs WHERE run_id = ? ORDER BY position')
      .all(id) as StepRunRow[];
    const steps = stepRows.map((row) => toStepRunRecord(row, attemptsByStep.get(row.step_id) ?? []));

    return { ...run, steps };
  }

  getStepRun(runId: string, stepId: string): StepRunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM step_runs WHERE run_id = ? AND step_id = ?').get(runId, stepId) as
      | StepRunRow
      | undefined;
    if (!row) return undefined;

    const attemptRows = this.db
      .prepare('SELECT * FROM attempts WHERE run_id = ? AND step_id = ? ORDER BY number')
      .all(runId, stepId) as AttemptRow[];
    return toStepRunRecord(row, attemptRows.map(toAttemptRecord));
  }

  listRuns(query: RunListQuery): { runs: RunSummary[]; nextCursor: string | null } {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
    const conditions: string[] = [];
    const values: (string | number)[] = [];

    if (query.pipelineId) {
      conditions.push('pipeline_id = ?');
      values.push(query.pipelineId);
    }
    if (query.status) {
      conditions.push('status = ?');
      values.push(query.status);
    }
    if (query.cursor) {
      conditions.push('seq < ?');
      values.push(decodeCursor(query.cursor));
    }

    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM runs ${where} ORDER BY seq DESC LIMIT ?`)
      .all(...values, limit + 1) as RunRow[];

    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(last.seq) : null;
    return { runs: page.map(toRunSummary), nextCursor };
  }

  listActiveRuns(): RunRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY seq`)
      .all() as RunRow[];
    return rows.map(toRunRecord);
  }

  updateRun(id: string, update: Parameters<Store['updateRun']>[1]): void {
    const columns: Record<string, unknown> = {
      status: update.status,
      message: update.message,
      started_at: update.startedAt,
      finished_at: update.finishedAt,
      cancel_requested: update.cancelRequested === undefined ? undefined : Number(update.cancelRequested),
    };
    this.updateRow('runs', columns, 'id = ?', [id]);
  }

  updateStepRun(runId: string, stepId: string, update: StepRunUpdate): void {
    const columns: Record<string, unknown> = {
      status: update.status,
      reason: update.reason,
      message: update.message,
      exit_code: update.exitCode,
      started_at: update.startedAt,
      finished_at: update.finishedAt,
      inputs: update.inputs === undefined ? undefined : JSON.stringify(update.inputs),
      outputs: update.outputs === undefined ? undefined : JSON.stringify(update.outputs),
    };
    this.updateRow('step_runs', columns, 'run_id = ? AND step_id = ?', [runId, stepId]);
  }

  createAttempt(runId: string, stepId: string, startedAt: string): AttemptRecord {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT COALESCE(MAX(number), 0) AS last FROM attempts WHERE run_id = ? AND step_id = ?')
        .get(runId, stepId) as { last: number };
      const number = row.last + 1;

      this.db
        .prepare(`INSERT INTO attempts (run_id, step_id, number, status, started_at) VALUES (?, ?, ?, 'running', ?)`)
        .run(runId, stepId, number, startedAt);
      this.updateStepRun(runId, stepId, { status: 'running', startedAt, finishedAt: null });

      const inserted = this.db
        .prepare('SELECT * FROM attempts WHERE run_id = ? AND step_id = ? AND number = ?')
        .get(runId, stepId, number) as AttemptRow;
      return toAttemptRecord(inserted);
    })();
  }

  updateAttempt(runId: string, stepId: string, attempt: number, update: AttemptUpdate): void {
    const columns: Record<string, unknown> = {
      status: update.status,
      finished_at: update.finishedAt,
      exit_code: update.exitCode,
      reason: update.reason,
      message: update.message,
      executor_ref: serializeRef(update.executorRef),
    };
    this.updateRow('attempts', columns, 'run_id = ? AND step_id = ? AND number = ?', [runId, stepId, attempt]);
  }

  attemptDir(runId: string, stepId: string, attempt: number): string {
    if (!ID_PATTERN.test(runId) || !ID_PATTERN.test(stepId) || !Number.isInteger(attempt) || attempt < 1) {
      throw new PipedeckError('invalid_request', `invalid attempt address: run ${runId}, step ${stepId}, attempt ${attempt}`);
    }
    return path.join(this.dataDir, 'runs', runId, stepId, String(attempt));
  }

  logFile(runId: string, stepId: string, attempt: number): string {
    return path.join(this.attemptDir(runId, stepId, attempt), 'log');
  }

  close(): void {
    this.db.close();
  }

  private getRunRecord(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRunRecord(row) : undefined;
  }

  private insertVersion(id: string, version: number, definition: Pipeline, createdAt: string): void {
    this.db
      .prepare('INSERT INTO pipeline_versions (pipeline_id, version, definition, created_at) VALUES (?, ?, ?, ?)')
      .run(id, version, JSON.stringify(definition), createdAt);
  }

  /** Updates the columns whose value is not undefined; column names come from code, never from input. */
  private updateRow(table: string, columns: Record<string, unknown>, where: string, whereValues: unknown[]): void {
    const entries = Object.entries(columns).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;

    const assignments = entries.map(([column]) => `${column} = ?`).join(', ');
    this.db.prepare(`UPDATE ${table} SET ${assignments} WHERE ${where}`).run(...entries.map(([, value]) => value), ...whereValues);
  }
}

/** Keeps undefined (column unchanged) and null (column cleared); JSON-encodes any other ref. */
function serializeRef(ref: AttemptUpdate['executorRef']): string | null | undefined {
  if (ref === undefined || ref === null) return ref;
  return JSON.stringify(ref);
}

interface VersionRow {
  pipeline_id: string;
  version: number;
  definition: string;
  created_at: string;
}

function toVersionRecord(row: VersionRow): PipelineVersionRecord {
  return {
    pipelineId: row.pipeline_id,
    version: row.version,
    definition: JSON.parse(row.definition) as Pipeline,
    createdAt: row.created_at,
  };
}
