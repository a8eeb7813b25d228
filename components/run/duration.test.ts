import { describe, expect, it } from 'vitest';

import { elapsedMs, formatDuration } from './duration';

describe('elapsedMs', () => {
  it('measures a finished interval', () => {
    expect(elapsedMs('2024-05-01T12:00:00.000Z', '2024-05-01T12:01:30.500Z', 0)).toBe(90_500);
  });

  it('measures up to now while not finished', () => {
    expect(elapsedMs('2024-05-01T12:00:00.000Z', null, Date.parse('2024-05-01T12:00:07.000Z'))).toBe(7000);
  });

  it('returns null before the start', () => {
    expect(elapsedMs(null, null, Date.parse('2024-05-01T12:00:07.000Z'))).toBeNull();
  });

  it('returns 0 when the clock is behind the start', () => {
    expect(elapsedMs('2024-05-01T12:00:10.000Z', null, Date.parse('2024-05-01T12:00:07.000Z'))).toBe(0);
  });

  it('returns null for an invalid time', () => {
    expect(elapsedMs('soon', null, 0)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('shows tenths below ten seconds', () => {
    expect(formatDuration(0)).toBe('0.0s');
    expect(formatDuration(420)).toBe('0.4s');
    expect(formatDuration(9_999)).toBe('9.9s');
  });

  it('shows whole seconds up to a minute', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(59_999)).toBe('59s');
  });

  it('shows minutes and seconds', () => {
    expect(formatDuration(185_000)).toBe('3m 05s');
  });

  it('shows hours and minutes', () => {
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000 + 59_000)).toBe('2h 03m');
  });

  it('shows days and hours', () => {
    expect(formatDuration(26 * 3_600_000 + 5 * 60_000)).toBe('1d 02h');
  });
});
