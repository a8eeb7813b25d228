import { describe, expect, it } from 'vitest';

import { collapseCarriageReturns, parseLogLine } from './log-line';

describe('parseLogLine', () => {
  it('parses a stdout line', () => {
    expect(parseLogLine('2024-05-01T12:03:07.123Z stdout hello world')).toEqual({
      time: '2024-05-01T12:03:07.123Z',
      stream: 'stdout',
      text: 'hello world',
    });
  });

  it('parses stderr and system lines', () => {
    expect(parseLogLine('2024-05-01T12:03:07.123Z stderr Traceback (most recent call last):')).toEqual({
      time: '2024-05-01T12:03:07.123Z',
      stream: 'stderr',
      text: 'Traceback (most recent call last):',
    });
    expect(parseLogLine('2024-05-01T12:03:08Z system attempt 2 started')).toEqual({
      time: '2024-05-01T12:03:08Z',
      stream: 'system',
      text: 'attempt 2 started',
    });
  });

  it('keeps spaces inside and around the text', () => {
    expect(parseLogLine('2024-05-01T12:03:07.123Z stdout   indented  ').text).toBe('  indented  ');
  });

  it('accepts an empty text with or without the space', () => {
    expect(parseLogLine('2024-05-01T12:03:07.123Z stdout ')).toEqual({
      time: '2024-05-01T12:03:07.123Z',
      stream: 'stdout',
      text: '',
    });
    expect(parseLogLine('2024-05-01T12:03:07.123Z stderr')).toEqual({
      time: '2024-05-01T12:03:07.123Z',
      stream: 'stderr',
      text: '',
    });
  });

  it('keeps a line without the format as stdout text', () => {
    expect(parseLogLine('plain text from somewhere')).toEqual({
      time: null,
      stream: 'stdout',
      text: 'plain text from somewhere',
    });
    expect(parseLogLine('2024-05-01T12:03:07Z stdoutx text')).toEqual({
      time: null,
      stream: 'stdout',
      text: '2024-05-01T12:03:07Z stdoutx text',
    });
  });

  it('keeps ANSI codes and HTML in the text', () => {
    expect(parseLogLine('2024-05-01T12:03:07Z stdout \u001b[31m<b>red</b>\u001b[0m').text).toBe(
      '\u001b[31m<b>red</b>\u001b[0m',
    );
  });
});

describe('collapseCarriageReturns', () => {
  it('keeps the text after the last carriage return', () => {
    expect(collapseCarriageReturns(' 10%|#         |\r 50%|#####     |\r100%|##########|')).toBe('100%|##########|');
  });

  it('ignores trailing carriage returns', () => {
    expect(collapseCarriageReturns('first\rdone\r\r')).toBe('done');
  });

  it('leaves text without carriage returns unchanged', () => {
    expect(collapseCarriageReturns('plain')).toBe('plain');
    expect(collapseCarriageReturns('')).toBe('');
  });
});
