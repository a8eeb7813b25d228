import { describe, expect, it } from 'vitest';

import { LogReader, splitLogChunk } from './log-chunk';

const encoder = new TextEncoder();

describe('splitLogChunk', () => {
  it('splits complete lines and keeps the partial tail', () => {
    expect(splitLogChunk('', 'one\ntwo\nthr')).toEqual({ lines: ['one', 'two'], partial: 'thr' });
  });

  it('completes the partial line with the next chunk', () => {
    expect(splitLogChunk('thr', 'ee\nfour\n')).toEqual({ lines: ['three', 'four'], partial: '' });
  });

  it('returns no line while the newline has not arrived', () => {
    expect(splitLogChunk('abc', 'def')).toEqual({ lines: [], partial: 'abcdef' });
  });

  it('removes CRLF endings, also when split across chunks', () => {
    expect(splitLogChunk('', 'one\r\ntwo\r')).toEqual({ lines: ['one'], partial: 'two\r' });
    expect(splitLogChunk('two\r', '\nthree')).toEqual({ lines: ['two'], partial: 'three' });
  });

  it('keeps empty lines', () => {
    expect(splitLogChunk('', '\n\nx\n')).toEqual({ lines: ['', '', 'x'], partial: '' });
  });
});

describe('LogReader', () => {
  it('parses lines across chunks', () => {
    const reader = new LogReader();

    expect(reader.push(encoder.encode('2024-05-01T12:00:00Z stdout hel'))).toEqual([]);
    expect(reader.pendingText).toBe('2024-05-01T12:00:00Z stdout hel');

    expect(reader.push(encoder.encode('lo\n2024-05-01T12:00:01Z stderr oops\n'))).toEqual([
      { time: '2024-05-01T12:00:00Z', stream: 'stdout', text: 'hello' },
      { time: '2024-05-01T12:00:01Z', stream: 'stderr', text: 'oops' },
    ]);
    expect(reader.pendingText).toBe('');
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const reader = new LogReader();
    const bytes = encoder.encode('2024-05-01T12:00:00Z stdout température ✓\n');
    const cut = bytes.indexOf(0xc3) + 1;

    expect(reader.push(bytes.slice(0, cut))).toEqual([]);
    expect(reader.push(bytes.slice(cut))).toEqual([
      { time: '2024-05-01T12:00:00Z', stream: 'stdout', text: 'température ✓' },
    ]);
  });

  it('returns the last line without a newline at the end', () => {
    const reader = new LogReader();
    reader.push(encoder.encode('2024-05-01T12:00:00Z system step exited with code 1'));

    expect(reader.end()).toEqual([{ time: '2024-05-01T12:00:00Z', stream: 'system', text: 'step exited with code 1' }]);
    expect(reader.end()).toEqual([]);
  });

  it('returns nothing at the end when the log ended with a newline', () => {
    const reader = new LogReader();
    reader.push(encoder.encode('2024-05-01T12:00:00Z stdout done\n'));

    expect(reader.end()).toEqual([]);
  });
});
