'use client';

import { useSyncExternalStore } from 'react';

/** How often durations of running runs and steps tick, in milliseconds. */
const TICK_MS = 1_000;

// One timer for every ticking duration on the page, so they all change in the same frame.
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) {
        notify();
      }
    }, TICK_MS);
  }
  listeners.add(listener);

  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function subscribeNever(): () => void {
  return () => {};
}

function getNow(): number {
  return now;
}

/**
 * Returns the current time in milliseconds, updated every second while `ticking` is true. Pass
 * false once nothing on screen is running, so finished pages do not re-render.
 */
export function useNow(ticking: boolean): number {
  return useSyncExternalStore(ticking ? subscribe : subscribeNever, getNow, getNow);
}
