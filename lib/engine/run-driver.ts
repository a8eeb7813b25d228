/**
 * Drives runs: starts each step when its upstream steps have succeeded, records every attempt's end,
 * and re-attaches running steps after a restart. Every state change goes to the store first; memory
 * holds only the live attempt handles and cached plans.
 *
 * No task waits for a step to end: endings arrive as promise callbacks and are queued on their run.
 */
import type { Logger } from '../logger';
import { compilePipeline, type ExecutionPlan, type PlanStep } from '../pipeline/compile';
import type { AttemptHandle, AttemptResult, Executor } from '../executors/types';
import type { Store } from '../store/types';
import { appendSystemLogLine } from './attempt-log';
import { buildAttemptSpec, resolveStepInputs, type ResolvedInputs } from './attempt-spec';
import { RunQueues } from './run-queues';
import { decideNextActions } from './scheduling';
import { isTerminalRunStatus, type ExecutorName, type RunRecord, type RunWithSteps, type StepRunRecord } from './types';

/** Message of an attempt whose process could not be found again after a restart. */
export const LOST_AFTER_RESTART_MESSAGE = "the step's process was gone after a server restart";

/** A state change of a run, or of one of its steps when `stepId` is set. */
export interface RunChange {
  runId: string;
  stepId?: string;
}

interface LiveAttempt {
  runId: string;
  stepId: string;
  attempt: number;
  handle: AttemptHandle;
}

export class RunDriver {
  /** Attempts this driver follows, keyed by `runId/stepId`. */
  private readonly live = new Map<string, LiveAttempt>();
  private readonly plans = new Map<string, ExecutionPlan>();
  private readonly queues = new RunQueues((runId, error) => this.failRunAfterError(runId, error));

  constructor(
    private readonly store: Store,
    private readonly executors: Map<ExecutorName, Executor>,
    private readonly logger: Logger,
    private readonly emit: (change: RunChange) => void,
  ) {}

  /** Queues a scheduling pass for a run, e.g. right after it was stored. */
  schedule(runId: string): Promise<void> {
    return this.queues.enqueue(runId, () => this.advance(runId));
  }

  /** Re-attaches a run's running steps (or marks them lost), then schedules it. */
  recover(runId: string): Promise<void> {
    return this.queues.enqueue(runId, () => this.recoverRun(runId));
  }

  /** Stores the cancel request, stops the run's live attempts and cancels its pending steps. */
  requestCancel(runId: string): Promise<void> {
    return this.queues.enqueue(runId, async () => {
      const run = this.store.getRun(runId);
      if (!run || isTerminalRunStatus(run.status)) return;
      if (!run.cancelRequested) {
        this.store.updateRun(runId, { cancelRequested: true });
        this.logger.info({ runId }, 'run cancel requested');
        this.emit({ runId });
      }
      this.cancelLiveAttempts(runId);
      await this.advance(runId);
    });
  }

  /** Stops driving once the tasks in progress are done; running steps are left running. */
  async stop(): Promise<void> {
    await this.queues.close();
    this.live.clear();
    this.plans.clear();
  }

  /** Applies the next decision for a run: step endings, step starts and the run's own status. */
  private async advance(runId: string): Promise<void> {
    const run = this.store.getRun(runId);
    if (!run || isTerminalRunStatus(run.status)) {
      this.plans.delete(runId);
      return;
    }
    const plan = this.planFor(run);

    if (run.status === 'queued' && !run.cancelRequested) {
      this.store.updateRun(runId, { status: 'running', startedAt: timestamp() });
      this.logger.info({ runId }, 'run started');
      this.emit({ runId });
    }

    const decision = decideNextActions(plan, run.steps, run.cancelRequested);
    for (const ending of decision.end) {
      const { stepId, ...fields } = ending;
      this.store.updateStepRun(runId, stepId, { ...fields, finishedAt: timestamp() });
      this.emit({ runId, stepId });
    }

    const stepsById = new Map(run.steps.map((step) => [step.stepId, step]));
    const endedAtStart = await Promise.all(decision.start.map((planStep) => this.launchStep(run, planStep, stepsById)));
    // A step that could not even start has already ended, which changes the decision.
    if (endedAtStart.includes(true)) return this.advance(runId);

    if (decision.outcome) {
      this.store.updateRun(runId, { ...decision.outcome, finishedAt: timestamp() });
      this.plans.delete(runId);
      const fields = { runId, status: decision.outcome.status, message: decision.outcome.message };
      if (decision.outcome.status === 'failed') this.logger.warn(fields, 'run finished');
      else this.logger.info(fields, 'run finished');
      this.emit({ runId });
    }
  }

  /**
   * Records the step's inputs and its new attempt synchronously, so no later task can start the step
   * again, then starts it. Resolves to true when the step ended without starting.
   */
  private launchStep(run: RunWithSteps, planStep: PlanStep, stepsById: Map<string, StepRunRecord>): Promise<boolean> {
    const stepId = planStep.step.id;
    let inputs: ResolvedInputs;
    try {
      inputs = resolveStepInputs(planStep, stepsById);
    } catch (error) {
      this.logger.error({ runId: run.id, stepId, err: error }, 'resolving step inputs failed');
      this.store.updateStepRun(run.id, stepId, { status: 'failed', reason: 'Error', message: describeError(error), finishedAt: timestamp() });
      this.emit({ runId: run.id, stepId });
      return Promise.resolve(true);
    }

    this.store.updateStepRun(run.id, stepId, { inputs: inputs.values });
    const attempt = this.store.createAttempt(run.id, stepId, timestamp());
    this.logger.info({ runId: run.id, stepId, attempt: attempt.number }, 'step attempt starting');
    this.emit({ runId: run.id, stepId });
    return this.startAttempt(run, planStep, attempt.number, inputs);
  }

  private async startAttempt(run: RunWithSteps, planStep: PlanStep, attempt: number, inputs: ResolvedInputs): Promise<boolean> {
    const stepId = planStep.step.id;
    let handle: AttemptHandle;
    try {
      const executor = this.executorFor(run);
      const spec = buildAttemptSpec({ store: this.store, executor, runId: run.id, planStep, attempt, inputs });
      handle = await executor.start(spec);
    } catch (error) {
      this.logger.error({ runId: run.id, stepId, attempt, err: error }, 'starting the step attempt failed');
      this.recordAttemptEnd(run.id, stepId, attempt, failedResult('Error', `could not start the step: ${describeError(error)}`));
      return true;
    }

    // Stored right after the start, so a restart re-attaches this attempt instead of starting another.
    this.store.updateAttempt(run.id, stepId, attempt, { executorRef: handle.ref });
    this.follow(run.id, stepId, attempt, handle);
    return false;
  }

  /** Records the attempt's end when its result arrives, then advances the run. */
  private follow(runId: string, stepId: string, attempt: number, handle: AttemptHandle): void {
    const key = `${runId}/${stepId}`;
    this.live.set(key, { runId, stepId, attempt, handle });

    const onEnd = (result: AttemptResult) =>
      this.queues.enqueue(runId, async () => {
        if (this.live.get(key)?.attempt === attempt) this.live.delete(key);
        this.recordAttemptEnd(runId, stepId, attempt, result);
        await this.advance(runId);
      });
    // By contract `result` never rejects, but a broken executor still must not leave the step running.
    void handle.result.then(onEnd, (error: unknown) => onEnd(failedResult('Error', `the executor failed: ${describeError(error)}`)));
  }

  private recordAttemptEnd(runId: string, stepId: string, attempt: number, result: AttemptResult): void {
    const finishedAt = result.finishedAt ?? timestamp();
    const ending = { status: result.status, reason: result.reason, message: result.message, exitCode: result.exitCode, finishedAt };
    this.store.updateAttempt(runId, stepId, attempt, ending);
    this.store.updateStepRun(runId, stepId, { ...ending, outputs: result.outputs });

    const fields = { runId, stepId, attempt, status: result.status, reason: result.reason, message: result.message };
    if (result.status === 'failed') this.logger.warn(fields, 'step attempt failed');
    else this.logger.info(fields, 'step attempt ended');
    this.emit({ runId, stepId });
  }

  private async recoverRun(runId: string): Promise<void> {
    const run = this.store.getRun(runId);
    if (!run || isTerminalRunStatus(run.status)) return;

    const plan = this.planFor(run);
    const planSteps = new Map(plan.steps.map((planStep) => [planStep.step.id, planStep]));
    const stepsById = new Map(run.steps.map((step) => [step.stepId, step]));
    const running = run.steps.filter((step) => step.status === 'running');
    await Promise.all(running.map((step) => this.recoverStep(run, planSteps.get(step.stepId)!, step, stepsById)));
    await this.advance(runId);
  }

  private async recoverStep(run: RunWithSteps, planStep: PlanStep, step: StepRunRecord, stepsById: Map<string, StepRunRecord>): Promise<void> {
    const ids = { runId: run.id, stepId: step.stepId };
    const attempt = step.attempts.at(-1);
    if (!attempt) {
      // The attempt row is created before anything is spawned, so without one nothing ran.
      this.store.updateStepRun(run.id, step.stepId, { status: 'pending', startedAt: null });
      this.logger.warn(ids, 'step was marked running without an attempt; it starts again');
      return;
    }

    let handle: AttemptHandle | undefined;
    try {
      const executor = this.executorFor(run);
      const inputs = resolveStepInputs(planStep, stepsById);
      const spec = buildAttemptSpec({ store: this.store, executor, runId: run.id, planStep, attempt: attempt.number, inputs });
      handle = await executor.reattach(spec, attempt.executorRef);
    } catch (error) {
      this.logger.error({ ...ids, attempt: attempt.number, err: error }, 're-attaching the step attempt failed');
    }

    if (handle) {
      this.logger.info({ ...ids, attempt: attempt.number }, 'step attempt re-attached');
      this.follow(run.id, step.stepId, attempt.number, handle);
      if (run.cancelRequested) this.cancelLiveAttempts(run.id);
      return;
    }

    if (attempt.status !== 'running') {
      // The attempt's end was stored but the step's was not: copy it over.
      const { status, reason, message, exitCode, finishedAt } = attempt;
      this.store.updateStepRun(run.id, step.stepId, { status, reason, message, exitCode, finishedAt });
      this.emit(ids);
      return;
    }

    appendSystemLogLine(this.store.logFile(run.id, step.stepId, attempt.number), LOST_AFTER_RESTART_MESSAGE);
    this.recordAttemptEnd(run.id, step.stepId, attempt.number, failedResult('Lost', LOST_AFTER_RESTART_MESSAGE));
  }

  private cancelLiveAttempts(runId: string): void {
    for (const liveAttempt of this.live.values()) {
      if (liveAttempt.runId !== runId) continue;
      liveAttempt.handle.cancel().catch((error: unknown) => {
        const fields = { runId, stepId: liveAttempt.stepId, attempt: liveAttempt.attempt, err: error };
        this.logger.error(fields, 'cancelling the step attempt failed');
      });
    }
  }

  private planFor(run: RunRecord): ExecutionPlan {
    let plan = this.plans.get(run.id);
    if (!plan) {
      plan = compilePipeline(run.pipeline, run.parameters);
      this.plans.set(run.id, plan);
    }
    return plan;
  }

  private executorFor(run: RunRecord): Executor {
    const executor = this.executors.get(run.executor);
    if (!executor) throw new Error(`executor \`${run.executor}\` is not configured on this server`);
    return executor;
  }

  /**
   * Fails a run whose task threw, so it never stays `running` forever. Its live attempts are
   * cancelled, and their ends are still recorded when they arrive.
   */
  private failRunAfterError(runId: string, error: unknown): void {
    this.logger.error({ runId, err: error }, 'driving the run failed');
    try {
      const run = this.store.getRun(runId);
      if (!run || isTerminalRunStatus(run.status)) return;
      this.store.updateRun(runId, { status: 'failed', message: `Pipedeck could not drive this run: ${describeError(error)}`, finishedAt: timestamp() });
      this.plans.delete(runId);
      this.cancelLiveAttempts(runId);
      this.emit({ runId });
    } catch (storeError) {
      this.logger.error({ runId, err: storeError }, 'marking the run failed did not work either');
    }
  }
}

function failedResult(reason: string, message: string): AttemptResult {
  return { status: 'failed', exitCode: null, reason, message, outputs: {} };
}

function timestamp(): string {
  return new Date().toISOString();
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
