/**
 * Helpers for the engine's tests: a temporary store with an engine on the process executor, pipelines
 * from short step lists, and waits that poll the store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createSilentLogger } from '../logger';
import { pipelineSchema, type PipelineInput, type StepInput } from '../pipeline/schema';
import { ProcessExecutor } from '../executors/process/process-executor';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/types';
import { Engine } from './engine';
import type { RunWithSteps, StepRunRecord } from './types';

export interface EngineFixture {
  dataDir: string;
  store: Store;
  engine: Engine;
}

/** Opens a store in a new temporary directory and starts an engine on it. */
export async function createEngineFixture(): Promise<EngineFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-engine-'));
  const store = openStore(dataDir);
  const engine = createEngine(store);
  await engine.start();
  return { dataDir, store, engine };
}

/** Creates an engine with a process executor that polls often, so tests see endings quickly. */
export function createEngine(store: Store): Engine {
  return new Engine({ store, executors: [new ProcessExecutor({ pollIntervalMs: 100 })], logger: createSilentLogger() });
}

/** Stores a pipeline made of the given steps (image `alpine:3` unless a step sets one). */
export function createPipeline(store: Store, steps: Omit<StepInput, 'image' | 'name'>[], extra: Partial<PipelineInput> = {}): string {
  const definition = pipelineSchema.parse({
    name: 'test pipeline',
    ...extra,
    steps: steps.map((step) => ({ name: step.id, image: 'alpine:3', ...step })),
  });
  return store.createPipeline(definition).id;
}

export function stepOf(run: RunWithSteps, stepId: string): StepRunRecord {
  const step = run.steps.find((candidate) => candidate.stepId === stepId);
  if (!step) throw new Error(`run ${run.id} has no step ${stepId}`);
  return step;
}

/** Polls `read` every 50 ms until it returns a value. */
export async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Texts of the stdout lines of one attempt's log. */
export function stdoutLines(store: Store, runId: string, stepId: string, attempt = 1): string[] {
  return readLogLines(store, runId, stepId, attempt)
    .filter((line) => line.source === 'stdout')
    .map((line) => line.text);
}

export function readLogLines(store: Store, runId: string, stepId: string, attempt = 1): { source: string; text: string }[] {
  const text = fs.readFileSync(store.logFile(runId, stepId, attempt), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^\S+ (stdout|stderr|system) (.*)$/.exec(line);
      if (!match) throw new Error(`log line has the wrong format: ${line}`);
      return { source: match[1]!, text: match[2]! };
    });
}

/** Pids of the live processes in process group `pgid`, read from /proc. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while /proc was read.
    }
  }
  return members;
}
