import { describe, expect, it } from 'vitest';

import { stepLogUrl } from './log-url';

describe('stepLogUrl', () => {
  it('builds the URL with attempt and offset', () => {
    expect(stepLogUrl('run-1', 'train', 2, 4096)).toBe('/api/runs/run-1/steps/train/logs?attempt=2&offset=4096');
  });

  it('leaves the offset out for the whole log', () => {
    expect(stepLogUrl('run-1', 'train', 1)).toBe('/api/runs/run-1/steps/train/logs?attempt=1');
  });

  it('encodes the ids', () => {
    expect(stepLogUrl('a/b', 'c?d', 1, 0)).toBe('/api/runs/a%2Fb/steps/c%3Fd/logs?attempt=1&offset=0');
  });
});
