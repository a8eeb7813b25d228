/**
 * Schema migrations, applied in order. SQLite's `user_version` records how many have run, so each
 * entry runs exactly once per database. Append new entries; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';

const migrations: string[] = [
  `
  CREATE TABLE pipelines (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    step_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE pipeline_versions (
    pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pipeline_id, version)
  );

  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    pipeline_id TEXT NOT NULL,
    pipeline_name TEXT NOT NULL,
    pipeline_version INTEGER NOT NULL,
    pipeline TEXT NOT NULL,
    parameters TEXT NOT NULL,
    executor TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_pipeline ON runs (pipeline_id, seq);
  CREATE INDEX runs_by_status ON runs (status, seq);

  CREATE TABLE step_runs (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    message TEXT,
    exit_code INTEGER,
    started_at TEXT,
    finished_at TEXT,
    inputs TEXT NOT NULL DEFAULT '{}',
    outputs TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, step_id)
  );

  CREATE TABLE attempts (
    run_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    exit_code INTEGER,
    reason TEXT,
    message TEXT,
    executor_ref TEXT,
    PRIMARY KEY (run_id, step_id, number),
    FOREIGN KEY (run_id, step_id) REFERENCES step_runs(run_id, step_id) ON DELETE CASCADE
  );
  `,
];

/** Brings the database schema up to date; returns how many migrations ran. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this Pipedeck (${migrations.length}); upgrade Pipedeck or use another PIPEDECK_DATA_DIR`,
    );
  }

  const pending = migrations.slice(current);
  const applyAll = db.transaction(() => {
    pending.forEach((sql, index) => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    });
  });
  applyAll();

  return pending.length;
}
