import { describe, expect, it } from 'vitest';

import { formatEvent } from './events';

describe('formatEvent', () => {
  it('formats a normal event', () => {
    const line = formatEvent({
      metadata: { uid: 'uid-1' },
      involvedObject: { name: 'pod-1' },
      reason: 'Pulling',
      message: 'Pulling image "busybox:1.36"',
      type: 'Normal',
      lastTimestamp: new Date('2024-05-01T12:00:00Z'),
    });
    expect(line).toEqual({ key: 'uid-1/1', time: new Date('2024-05-01T12:00:00Z'), text: 'event Pulling: Pulling image "busybox:1.36"' });
  });

  it('marks warnings and counts repeats', () => {
    const line = formatEvent({
      metadata: { uid: 'uid-2' },
      involvedObject: { name: 'pod-1' },
      reason: 'BackOff',
      message: 'Back-off pulling image "nope"',
      type: 'Warning',
      count: 4,
      lastTimestamp: new Date('2024-05-01T12:00:30Z'),
    });
    expect(line).toEqual({ key: 'uid-2/4', time: new Date('2024-05-01T12:00:30Z'), text: 'event warning BackOff: Back-off pulling image "nope" (4 times)' });
  });

  it('takes the time of a new-style event from eventTime', () => {
    const line = formatEvent({
      metadata: { uid: 'uid-3' },
      involvedObject: { name: 'pod-1' },
      reason: 'Scheduled',
      message: 'Successfully assigned ml/pod-1 to node-1',
      eventTime: '2024-05-01T12:00:00.500000Z' as unknown as Date,
      series: { count: 2, lastObservedTime: new Date('2024-05-01T12:00:01Z') },
    });
    expect(line.time.toISOString()).toBe('2024-05-01T12:00:00.500Z');
    expect(line.key).toBe('uid-3/2');
  });
});
