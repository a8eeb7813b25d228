import { describe, expect, it } from 'vitest';

import { formatDateTime, formatUtcDateTime } from './time-format';

describe('formatDateTime', () => {
  it('formats in the given time zone', () => {
    expect(formatDateTime('2024-05-01T22:03:07.123Z', 'UTC')).toBe('2024-05-01 22:03:07');
    expect(formatDateTime('2024-05-01T22:03:07.123Z', 'Asia/Tokyo')).toBe('2024-05-02 07:03:07');
  });

  it('shows midnight as 00', () => {
    expect(formatDateTime('2024-05-01T00:00:00Z', 'UTC')).toBe('2024-05-01 00:00:00');
  });

  it('returns an invalid time unchanged', () => {
    expect(formatDateTime('yesterday', 'UTC')).toBe('yesterday');
  });
});

describe('formatUtcDateTime', () => {
  it('appends UTC', () => {
    expect(formatUtcDateTime('2024-05-01T22:03:07Z')).toBe('2024-05-01 22:03:07 UTC');
  });
});
