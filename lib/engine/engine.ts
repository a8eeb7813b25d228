/**
 * The engine's public face, used by the API, the CLI and tests: submit, rerun, cancel and watch
 * runs. Validation happens here, before anything is stored; `RunDriver` does the scheduling.
 */
import { PipedeckError } from '../errors';
import type { Logger } from '../logger';
import type { AttemptLocation, Executor } from '../executors/types';
import type { NewRun, Store } from '../store/types';
import { prepareRun, prepareRunOfDefinition, type SubmitRunRequest } from './prepare-run';
import { RunDriver, type RunChange } from './run-driver';
import { isTerminalRunStatus, type ExecutorName, type RunRecord, type RunWithSteps } from './types';

export type { SubmitRunRequest } from './prepare-run';
export { LOST_AFTER_RESTART_MESSAGE, type RunChange } from './run-driver';

export interface EngineOptions {
  store: Store;
  executors: Executor[];
  logger: Logger;
  /** Executor for runs whose request names none; `process` when omitted. */
  defaultExecutor?: ExecutorName;
}

export class Engine {
  private readonly store: Store;
  private readonly executors: Map<ExecutorName, Executor>;
  private readonly logger: Logger;
  private readonly defaultExecutor: ExecutorName;
  private readonly listeners = new Set<(change: RunChange) => void>();
  private readonly driver: RunDriver;
  private started = false;
  private stopped = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.executors = new Map(options.executors.map((executor) => [executor.name, executor]));
    this.logger = options.logger;
    this.defaultExecutor = options.defaultExecutor ?? 'process';
    this.driver = new RunDriver(this.store, this.executors, this.logger, (change) => this.emit(change));
  }

  /** Recovers runs left queued or running by an earlier process, then drives them. Call once. */
  async start(): Promise<void> {
    if (this.started) throw new Error('Engine.start() was called twice; create a new Engine instead');
    this.started = true;

    const active = this.store.listActiveRuns();
    this.logger.info({ activeRuns: active.length }, 'engine starting; recovering active runs');
    await Promise.all(active.map((run) => this.driver.recover(run.id)));
    // Not awaited: an executor may wait for its cluster, and startup must not wait with it.
    this.reconcileExecutors().catch((error: unknown) => this.logger.error({ err: error }, 'reconciling the executors after start failed'));
  }

  /**
   * Validates the request and stores a queued run; scheduling then happens asynchronously. Throws
   * PipedeckError with a 4xx code on bad input, and then nothing is stored.
   */
  async submitRun(request: SubmitRunRequest): Promise<RunRecord> {
    this.assertNotStopped();
    const newRun = await prepareRun(this.store, this.executors, this.defaultExecutor, request);
    return this.createRun(newRun);
  }

  /**
   * Starts a new run of the same pipeline version, parameters and executor as an earlier run. It uses
   * the definition stored with that run, so it works after the pipeline was edited or deleted.
   */
  async rerun(runId: string): Promise<RunRecord> {
    this.assertNotStopped();
    const previous = this.getRunOrThrow(runId);
    const newRun = await prepareRunOfDefinition(this.executors, {
      pipelineId: previous.pipelineId,
      pipelineVersion: previous.pipelineVersion,
      pipeline: previous.pipeline,
      parameters: previous.parameters,
      executor: previous.executor,
    });
    return this.createRun(newRun);
  }

  /**
   * Requests a cancel: pending steps are cancelled and running attempts are stopped. The run becomes
   * `cancelled` once every running attempt has ended. Cancelling a finished run changes nothing.
   * Throws PipedeckError('not_found') for an unknown run.
   */
  async cancelRun(runId: string): Promise<RunRecord> {
    this.assertNotStopped();
    const run = this.getRunOrThrow(runId);
    if (isTerminalRunStatus(run.status)) return run;

    await this.driver.requestCancel(runId);
    return this.getRunOrThrow(runId);
  }

  /** Resolves with the run once it has finished; rejects after `timeoutMs` when given. */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunWithSteps> {
    this.getRunOrThrow(runId);

    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        const run = this.store.getRun(runId);
        if (!run || !isTerminalRunStatus(run.status)) return;
        unsubscribe();
        if (timer) clearTimeout(timer);
        resolve(run);
      };

      const unsubscribe = this.subscribe((change) => {
        if (change.runId === runId) check();
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      check();
    });
  }

  /** Registers a listener called after each state change; returns a function that removes it. */
  subscribe(listener: (change: RunChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops driving runs once the tasks in progress have finished. Running steps are not killed: they
   * keep running, and the next engine's `start()` re-attaches them.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.driver.stop();
    this.logger.info('engine stopped');
  }

  /** Lists the configured executors and whether each can run steps now. */
  async listExecutors(): Promise<{ name: ExecutorName; available: boolean; detail: string }[]> {
    return Promise.all(
      [...this.executors.values()].map(async (executor) => {
        try {
          const availability = await executor.checkAvailability();
          if (availability.available) return { name: executor.name, available: true, detail: availability.detail };
          return { name: executor.name, available: false, detail: availability.reason };
        } catch (error) {
          const detail = `checking the executor failed: ${error instanceof Error ? error.message : String(error)}`;
          return { name: executor.name, available: false, detail };
        }
      }),
    );
  }

  /**
   * Gives each executor that can reconcile the attempts the store still counts as running on it, so
   * it can clean up what a crash left behind. A failure is logged: runs go on without it.
   */
  private async reconcileExecutors(): Promise<void> {
    const running = new Map<ExecutorName, AttemptLocation[]>();
    for (const summary of this.store.listActiveRuns()) {
      const run = this.store.getRun(summary.id);
      if (!run) continue;
      for (const step of run.steps) {
        const attempt = step.attempts.at(-1);
        if (step.status !== 'running' || attempt?.status !== 'running') continue;
        const locations = running.get(run.executor) ?? [];
        locations.push({ runId: run.id, stepId: step.stepId, attempt: attempt.number, attemptDir: this.store.attemptDir(run.id, step.stepId, attempt.number) });
        running.set(run.executor, locations);
      }
    }

    for (const executor of this.executors.values()) {
      if (!executor.reconcile) continue;
      try {
        await executor.reconcile(running.get(executor.name) ?? []);
      } catch (error) {
        this.logger.error({ executor: executor.name, err: error }, 'reconciling the executor after start failed');
      }
    }
  }

  private createRun(newRun: NewRun): RunRecord {
    const run = this.store.createRun(newRun);
    this.logger.info({ runId: run.id, pipelineId: run.pipelineId, version: run.pipelineVersion, executor: run.executor }, 'run queued');
    this.emit({ runId: run.id });
    void this.driver.schedule(run.id);
    return run;
  }

  private emit(change: RunChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ ...change, err: error }, 'run change listener threw');
      }
    }
  }

  private getRunOrThrow(runId: string): RunWithSteps {
    const run = this.store.getRun(runId);
    if (!run) throw new PipedeckError('not_found', `run \`${runId}\` not found`);
    return run;
  }

  private assertNotStopped(): void {
    if (this.stopped) throw new PipedeckError('internal', 'the engine is stopped because the server is shutting down; retry once it is back');
  }
}
