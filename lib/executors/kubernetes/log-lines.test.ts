import { describe, expect, it } from 'vitest';

import { LineSplitter, ResumeFilter, isoTimeOf, parseTimestampedLine, sinceTimeFor, type TimestampedLine } from './log-lines';

function line(timestamp: string, text: string): TimestampedLine {
  return parseTimestampedLine(`${timestamp} ${text}`);
}

describe('parseTimestampedLine', () => {
  it('reads nanoseconds and the text', () => {
    const parsed = parseTimestampedLine('2024-05-01T12:00:00.123456789Z hello world');
    expect(parsed).toEqual({ nanos: 1714564800123456789n, text: 'hello world' });
  });

  it('reads timestamps with trailing zeros cut', () => {
    expect(parseTimestampedLine('2024-05-01T12:00:00.5Z x').nanos).toBe(1714564800500000000n);
    expect(parseTimestampedLine('2024-05-01T12:00:00Z x').nanos).toBe(1714564800000000000n);
  });

  it('reads a timestamp with an offset', () => {
    expect(parseTimestampedLine('2024-05-01T14:00:00.25+02:00 x').nanos).toBe(1714564800250000000n);
  });

  it('keeps an empty line empty', () => {
    expect(parseTimestampedLine('2024-05-01T12:00:00.1Z ')).toEqual({ nanos: 1714564800100000000n, text: '' });
  });

  it('keeps a line without a timestamp whole', () => {
    expect(parseTimestampedLine('no time here')).toEqual({ nanos: undefined, text: 'no time here' });
  });

  it('keeps leading spaces of the text after the separator', () => {
    expect(parseTimestampedLine('2024-05-01T12:00:00.1Z   indented').text).toBe('  indented');
  });
});

describe('sinceTimeFor and isoTimeOf', () => {
  it('cuts the cursor to its second', () => {
    expect(sinceTimeFor({ lastNanos: '1714564800999999999', sameCount: 1 })).toBe('2024-05-01T12:00:00Z');
  });

  it('has no sinceTime without a cursor', () => {
    expect(sinceTimeFor(undefined)).toBeUndefined();
  });

  it('formats log times in milliseconds', () => {
    expect(isoTimeOf(1714564800123456789n)).toBe('2024-05-01T12:00:00.123Z');
  });
});

describe('ResumeFilter', () => {
  it('accepts every line of a first stream and tracks the last', () => {
    const filter = new ResumeFilter(undefined);
    expect(filter.accept(line('2024-05-01T12:00:00.1Z', 'a'))).toBe(true);
    expect(filter.accept(line('2024-05-01T12:00:00.2Z', 'b'))).toBe(true);
    expect(filter.accept(line('2024-05-01T12:00:00.2Z', 'c'))).toBe(true);
    expect(filter.position()).toEqual({ lastNanos: '1714564800200000000', sameCount: 2 });
  });

  it('skips lines of the resumed second already stored', () => {
    const first = new ResumeFilter(undefined);
    for (const text of ['a', 'b']) first.accept(line('2024-05-01T12:00:00.1Z', text));
    first.accept(line('2024-05-01T12:00:00.7Z', 'c'));

    // The API sends the whole second again from sinceTime=12:00:00Z.
    const resumed = new ResumeFilter(first.position());
    const replay = [
      line('2024-05-01T12:00:00.1Z', 'a'),
      line('2024-05-01T12:00:00.1Z', 'b'),
      line('2024-05-01T12:00:00.7Z', 'c'),
      line('2024-05-01T12:00:00.9Z', 'd'),
      line('2024-05-01T12:00:01Z', 'e'),
    ];
    expect(replay.filter((entry) => resumed.accept(entry)).map((entry) => entry.text)).toEqual(['d', 'e']);
    expect(resumed.position()).toEqual({ lastNanos: '1714564801000000000', sameCount: 1 });
  });

  it('keeps new lines that share the last stored timestamp', () => {
    const first = new ResumeFilter(undefined);
    first.accept(line('2024-05-01T12:00:00.5Z', 'a'));
    first.accept(line('2024-05-01T12:00:00.5Z', 'b'));

    const resumed = new ResumeFilter(first.position());
    const replay = ['a', 'b', 'c', 'd'].map((text) => line('2024-05-01T12:00:00.5Z', text));
    expect(replay.filter((entry) => resumed.accept(entry)).map((entry) => entry.text)).toEqual(['c', 'd']);
    expect(resumed.position()).toEqual({ lastNanos: '1714564800500000000', sameCount: 4 });
  });

  it('accepts lines without a timestamp and leaves the cursor alone', () => {
    const filter = new ResumeFilter({ lastNanos: '1714564800500000000', sameCount: 1 });
    expect(filter.accept(parseTimestampedLine('plain'))).toBe(true);
    expect(filter.position()).toEqual({ lastNanos: '1714564800500000000', sameCount: 1 });
  });

  it('does not change the cursor it was given', () => {
    const cursor = { lastNanos: '1714564800500000000', sameCount: 1 };
    new ResumeFilter(cursor).accept(line('2024-05-01T12:00:02Z', 'x'));
    expect(cursor).toEqual({ lastNanos: '1714564800500000000', sameCount: 1 });
  });
});

describe('LineSplitter', () => {
  it('holds the unfinished line until the next chunk', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('one\ntw'))).toEqual(['one']);
    expect(splitter.push(Buffer.from('o\r\nthree'))).toEqual(['two']);
    expect(splitter.flush()).toBe('three');
    expect(splitter.flush()).toBeUndefined();
  });

  it('joins a character split across chunks', () => {
    const bytes = Buffer.from('é\n');
    const splitter = new LineSplitter();
    expect(splitter.push(bytes.subarray(0, 1))).toEqual([]);
    expect(splitter.push(bytes.subarray(1))).toEqual(['é']);
  });
});
