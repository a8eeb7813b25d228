import { describe, expect, it } from 'vitest';

import { RUN_STATUSES } from '@/lib/engine/types';

import { ApiError } from './run-api';
import { RUN_LIST_POLL_MS, RUN_POLL_MS, runListRefetchInterval, runRefetchInterval } from './run-polling';

describe('runRefetchInterval', () => {
  it('polls every second while the run is queued or running', () => {
    expect(runRefetchInterval({ status: 'queued' }, null)).toBe(1000);
    expect(runRefetchInterval({ status: 'running' }, null)).toBe(1000);
    expect(RUN_POLL_MS).toBe(1000);
  });

  it('stops polling once the run has finished', () => {
    expect(runRefetchInterval({ status: 'succeeded' }, null)).toBe(false);
    expect(runRefetchInterval({ status: 'failed' }, null)).toBe(false);
    expect(runRefetchInterval({ status: 'cancelled' }, null)).toBe(false);
  });

  it('covers every run status', () => {
    const intervals = RUN_STATUSES.map((status) => [status, runRefetchInterval({ status }, null)]);
    expect(intervals).toEqual([
      ['queued', 1000],
      ['running', 1000],
      ['succeeded', false],
      ['failed', false],
      ['cancelled', false],
    ]);
  });

  it('polls before the first answer and after a passing error', () => {
    expect(runRefetchInterval(undefined, null)).toBe(1000);
    expect(runRefetchInterval(undefined, new ApiError(503, 'unknown', 'server restarting'))).toBe(1000);
  });

  it('stops polling for a run that does not exist', () => {
    expect(runRefetchInterval(undefined, new ApiError(404, 'not_found', 'run x not found'))).toBe(false);
  });
});

describe('runListRefetchInterval', () => {
  it('polls while a listed run is active', () => {
    expect(runListRefetchInterval([{ status: 'succeeded' }, { status: 'running' }])).toBe(RUN_LIST_POLL_MS);
    expect(runListRefetchInterval([{ status: 'queued' }])).toBe(3000);
  });

  it('stops when every listed run has finished', () => {
    expect(runListRefetchInterval([{ status: 'succeeded' }, { status: 'failed' }, { status: 'cancelled' }])).toBe(false);
    expect(runListRefetchInterval([])).toBe(false);
    expect(runListRefetchInterval(undefined)).toBe(false);
  });
});
