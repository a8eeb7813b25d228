'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';

import { parseLogLine } from './log-line';
import { LogRow } from './log-row';
import { stepLogUrl } from './log-url';
import { useStepLog } from './use-step-log';
import type { LogFollowState } from './log-follower';

/** Distance from the bottom, in pixels, that still counts as "at the bottom" for follow mode. */
const BOTTOM_SLACK_PX = 24;

const stateText: Record<LogFollowState, string> = {
  loading: 'Loading…',
  waiting: 'Waiting for output…',
  following: 'Streaming',
  complete: 'Complete',
  error: 'Retrying',
};

interface LogPaneProps {
  runId: string;
  stepId: string;
  /** 1-based attempt number. */
  attempt: number;
}

/**
 * Shows the live log of one step attempt. Only the visible lines are in the DOM, so long logs stay
 * responsive. The pane follows new output while scrolled to the bottom. Scrolling up stops
 * following, and "Jump to latest" resumes it.
 */
export function LogPane({ runId, stepId, attempt }: LogPaneProps) {
  const log = useStepLog(runId, stepId, attempt);
  const [showTimestamps, setShowTimestamps] = useState(true);
  const [following, setFollowing] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);

  // The unfinished last line is shown as a row of its own until its newline arrives.
  const partialLine = useMemo(() => (log.partialLine === '' ? null : parseLogLine(log.partialLine)), [log.partialLine]);
  const rowCount = log.lineCount + (partialLine ? 1 : 0);

  // The React Compiler cannot memoize around useVirtualizer, and this component does not need it to.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 18,
    overscan: 20,
  });

  const scrollToLatest = useCallback(() => {
    if (rowCount > 0) {
      virtualizer.scrollToIndex(rowCount - 1, { align: 'end' });
    }
  }, [rowCount, virtualizer]);

  useLayoutEffect(() => {
    if (following) {
      scrollToLatest();
    }
  }, [following, scrollToLatest, partialLine]);

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const element = event.currentTarget;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;

    // A lower scrollTop is taken as the person scrolling up. Following new output and rows growing
    // once measured only keep or raise scrollTop, so they do not switch following off.
    if (atBottom) {
      setFollowing(true);
    } else if (element.scrollTop < lastScrollTop.current) {
      setFollowing(false);
    }
    lastScrollTop.current = element.scrollTop;
  }

  function jumpToLatest() {
    setFollowing(true);
    scrollToLatest();
  }

  return (
    <section className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-md border border-slate-800 bg-slate-950">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-300">
        <span className="font-medium text-slate-100">Log · attempt {attempt}</span>
        <span data-testid="log-state" data-state={log.state}>
          {stateText[log.state]}
          {log.error ? `: ${log.error}` : ''}
        </span>
        <span className="text-slate-400">
          {log.lineCount.toLocaleString('en-US')} {log.lineCount === 1 ? 'line' : 'lines'}
        </span>
        <label className="ml-auto flex items-center gap-1.5">
          <input type="checkbox" checked={showTimestamps} onChange={(event) => setShowTimestamps(event.target.checked)} />
          Timestamps
        </label>
        <a className="text-sky-300 underline-offset-2 hover:underline" href={stepLogUrl(runId, stepId, attempt)} target="_blank" rel="noreferrer">
          Raw log
        </a>
      </div>

      <div className="relative min-h-0 flex-1">
        <div
          ref={scrollRef}
          onScroll={onScroll}
          role="log"
          aria-label="Step log"
          aria-live="off"
          tabIndex={0}
          className="absolute inset-0 overflow-auto py-1 font-mono text-xs leading-[18px] text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        >
          {rowCount === 0 ? (
            <p className="px-3 py-2 text-slate-400 italic">
              {log.state === 'complete' ? 'This attempt wrote no output.' : 'No output yet.'}
            </p>
          ) : (
            <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const line = item.index < log.lineCount ? log.lines[item.index] : partialLine;
                return line ? (
                  <div
                    key={item.key}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                    className="absolute top-0 left-0 w-full"
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <LogRow line={line} number={item.index + 1} showTimestamp={showTimestamps} />
                  </div>
                ) : null;
              })}
            </div>
          )}
        </div>

        {!following && rowCount > 0 ? (
          <button
            type="button"
            onClick={jumpToLatest}
            className="absolute right-4 bottom-3 rounded-full bg-sky-600 px-3 py-1 text-xs font-medium text-white shadow-lg hover:bg-sky-500"
          >
            Jump to latest ↓
          </button>
        ) : null}
      </div>
    </section>
  );
}
