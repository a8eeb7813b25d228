'use client';

import { createContext, useContext, type ReactNode } from 'react';

import { useNow } from './use-now';

/** Time of the last response from the server while the page has lost contact with it; null while in contact. */
const LastContactContext = createContext<number | null>(null);

/**
 * Stops the durations below it while `lastContactAt` is set. With no response from the server,
 * a step shown as running may have finished long ago, so a ticking duration would be made up.
 */
export function RunClockProvider({ lastContactAt, children }: { lastContactAt: number | null; children: ReactNode }) {
  return <LastContactContext.Provider value={lastContactAt}>{children}</LastContactContext.Provider>;
}

/**
 * Returns the time durations of running runs and steps are measured to: the current time, updated
 * every second while `ticking`, or the time of the last response from the server while contact
 * with it is lost (see `RunClockProvider`).
 */
export function useRunNow(ticking: boolean): number {
  const lastContactAt = useContext(LastContactContext);
  const now = useNow(ticking && lastContactAt === null);
  return lastContactAt ?? now;
}

/** Returns true while the page has lost contact with the server (see `RunClockProvider`). */
export function useLostContact(): boolean {
  return useContext(LastContactContext) !== null;
}
