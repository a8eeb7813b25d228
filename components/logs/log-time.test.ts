import { describe, expect, it } from 'vitest';

import { formatLogTime } from './log-time';

describe('formatLogTime', () => {
  it('formats the time of day with milliseconds', () => {
    expect(formatLogTime('2024-05-01T00:03:07.123456Z', 'UTC')).toBe('00:03:07.123');
  });

  it('converts to the given time zone', () => {
    expect(formatLogTime('2024-05-01T22:03:07.5Z', 'Asia/Tokyo')).toBe('07:03:07.500');
  });

  it('returns an invalid time unchanged', () => {
    expect(formatLogTime('not-a-time', 'UTC')).toBe('not-a-time');
  });
});
