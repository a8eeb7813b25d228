/**
 * The run state machine's decision step: given the plan and the stored step records, which steps
 * start now, which pending steps end without running, and whether the run is finished. Pure, so the
 * fail-fast and cancel rules can be read (and tested) apart from processes and the store.
 */
import type { ExecutionPlan, PlanStep } from '../pipeline/compile';
import type { RunStatus, StepReason, StepRunRecord } from './types';

/** A pending step that ends without running. */
export interface StepEnding {
  stepId: string;
  status: 'skipped' | 'cancelled';
  reason: StepReason;
  message: string;
}

/** Next actions of the engine for one run. */
export interface RunDecision {
  /** Steps whose upstream steps all succeeded, in plan order. */
  start: PlanStep[];
  end: StepEnding[];
  /** Set once no step is running and none will start. */
  outcome?: { status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>; message: string | null };
}

/**
 * Decides the next actions for a run.
 *
 * - Cancel requested: pending steps are cancelled; the run is cancelled once nothing runs.
 * - A step failed (fail-fast): no step starts any more. Pending steps downstream of a failed step are
 *   skipped as `UpstreamFailed`, the others as `FailFast`. The run fails once nothing runs, with a
 *   message naming the failed step.
 * - Otherwise the pending steps whose upstream steps all succeeded start, and the run succeeds when
 *   every step has ended without a failure.
 */
export function decideNextActions(plan: ExecutionPlan, steps: StepRunRecord[], cancelRequested: boolean): RunDecision {
  const byId = new Map(steps.map((step) => [step.stepId, step]));
  const pending = plan.steps.filter((planStep) => byId.get(planStep.step.id)?.status === 'pending');
  const anyRunning = steps.some((step) => step.status === 'running');

  if (cancelRequested) {
    const end = pending.map(
      (planStep): StepEnding => ({
        stepId: planStep.step.id,
        status: 'cancelled',
        reason: 'Cancelled',
        message: 'not started because the run was cancelled',
      }),
    );
    return { start: [], end, outcome: anyRunning ? undefined : { status: 'cancelled', message: 'cancelled on request' } };
  }

  // A step cancelled while the run was not (e.g. by its executor) counts as a failure.
  const failed = steps
    .filter((step) => step.status === 'failed' || step.status === 'cancelled')
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));

  if (failed.length > 0) {
    const firstFailedAncestor = createAncestorFinder(plan, byId);
    const firstFailed = failed[0]!;
    const end = pending.map((planStep): StepEnding => {
      const ancestor = firstFailedAncestor(planStep.step.id);
      if (ancestor) {
        return { stepId: planStep.step.id, status: 'skipped', reason: 'UpstreamFailed', message: `not run because upstream step \`${ancestor}\` failed` };
      }
      return {
        stepId: planStep.step.id,
        status: 'skipped',
        reason: 'FailFast',
        message: `not started because step \`${firstFailed.stepId}\` failed and the run stops at the first failure`,
      };
    });
    return { start: [], end, outcome: anyRunning ? undefined : { status: 'failed', message: describeFailure(failed) } };
  }

  const start: PlanStep[] = [];
  const end: StepEnding[] = [];
  for (const planStep of pending) {
    const upstream = planStep.upstream.map((id) => byId.get(id));
    const blocker = upstream.find((step) => step !== undefined && step.status !== 'succeeded' && step.status !== 'pending' && step.status !== 'running');
    if (blocker) {
      // Only reachable once steps can be skipped without a failure; the skip then propagates.
      end.push({ stepId: planStep.step.id, status: 'skipped', reason: 'UpstreamFailed', message: `not run because upstream step \`${blocker.stepId}\` was ${blocker.status}` });
    } else if (upstream.every((step) => step?.status === 'succeeded')) {
      start.push(planStep);
    }
  }

  const waiting = pending.length - start.length - end.length;
  const finished = !anyRunning && start.length === 0 && waiting === 0;
  return { start, end, outcome: finished ? { status: 'succeeded', message: null } : undefined };
}

/** Returns a function that names the first failed step upstream of a step (transitively), if any. */
function createAncestorFinder(plan: ExecutionPlan, byId: Map<string, StepRunRecord>): (stepId: string) => string | undefined {
  const upstreamById = new Map(plan.steps.map((planStep) => [planStep.step.id, planStep.upstream]));
  const memo = new Map<string, string | null>();

  const find = (stepId: string): string | undefined => {
    const known = memo.get(stepId);
    if (known !== undefined) return known ?? undefined;
    // The plan is acyclic, so this recursion ends; the marker only guards against a corrupt plan.
    memo.set(stepId, null);

    let found: string | null = null;
    for (const upstreamId of upstreamById.get(stepId) ?? []) {
      const status = byId.get(upstreamId)?.status;
      if (status === 'failed' || status === 'cancelled') {
        found = upstreamId;
        break;
      }
      const further = find(upstreamId);
      if (further) {
        found = further;
        break;
      }
    }
    memo.set(stepId, found);
    return found ?? undefined;
  };
  return find;
}

function describeFailure(failed: StepRunRecord[]): string {
  const [first, ...others] = failed;
  const detail = first!.message ? `: ${first!.message}` : '';
  const also = others.length > 0 ? ` (also failed: ${others.map((step) => `\`${step.stepId}\``).join(', ')})` : '';
  return `step \`${first!.stepId}\` failed${detail}${also}`;
}
