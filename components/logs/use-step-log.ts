'use client';

import { useEffect, useMemo, useSyncExternalStore } from 'react';

import { LogFollower, type LogSnapshot } from './log-follower';
import type { LogLine } from './log-line';
import { stepLogUrl } from './log-url';

/** Lines of one attempt's log read so far, and the state of reading. */
export interface StepLog extends LogSnapshot {
  /** Every complete line read so far. The array grows in place, so watch `lineCount` for changes. */
  lines: readonly LogLine[];
}

/**
 * Follows one attempt's log while the component is mounted: reads it from the start, then polls
 * for new bytes until the attempt has finished and everything was read.
 */
export function useStepLog(runId: string, stepId: string, attempt: number): StepLog {
  const follower = useMemo(
    () => new LogFollower({ url: (offset) => stepLogUrl(runId, stepId, attempt, offset) }),
    [runId, stepId, attempt],
  );

  useEffect(() => {
    follower.start();
    return () => follower.stop();
  }, [follower]);

  const snapshot = useSyncExternalStore(follower.subscribe, follower.getSnapshot, follower.getSnapshot);
  return { ...snapshot, lines: follower.lines };
}
