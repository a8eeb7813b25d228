import { describe, expect, it } from 'vitest';

import { ansiToSegments, stripAnsi } from './ansi';

const plain = { color: null, background: null, bold: false, dim: false, italic: false, underline: false };

describe('ansiToSegments', () => {
  it('returns one plain segment for text without escape codes', () => {
    expect(ansiToSegments('hello <b>world</b>')).toEqual([{ ...plain, text: 'hello <b>world</b>' }]);
  });

  it('returns no segment for an empty line', () => {
    expect(ansiToSegments('')).toEqual([]);
  });

  it('colours the text between a colour code and the reset', () => {
    expect(ansiToSegments('ok \u001b[31mFAILED\u001b[0m done')).toEqual([
      { ...plain, text: 'ok ' },
      { ...plain, text: 'FAILED', color: 'rgb(187, 0, 0)' },
      { ...plain, text: ' done' },
    ]);
  });

  it('reads bold, background, 256 and true colours', () => {
    expect(ansiToSegments('\u001b[1;32mpass\u001b[0m')).toEqual([{ ...plain, text: 'pass', color: 'rgb(0, 187, 0)', bold: true }]);
    expect(ansiToSegments('\u001b[44mbg\u001b[0m')).toEqual([{ ...plain, text: 'bg', background: 'rgb(0, 0, 187)' }]);
    expect(ansiToSegments('\u001b[38;5;208morange')).toEqual([{ ...plain, text: 'orange', color: 'rgb(255, 135, 0)' }]);
    expect(ansiToSegments('\u001b[38;2;10;20;30mtrue')).toEqual([{ ...plain, text: 'true', color: 'rgb(10, 20, 30)' }]);
  });

  it('reads underline, italic and dim', () => {
    expect(ansiToSegments('\u001b[4mu\u001b[0m\u001b[3mi\u001b[0m\u001b[2md')).toEqual([
      { ...plain, text: 'u', underline: true },
      { ...plain, text: 'i', italic: true },
      { ...plain, text: 'd', dim: true },
    ]);
  });

  it('keeps HTML in the text as text', () => {
    expect(ansiToSegments('\u001b[33m<script>alert(1)</script>\u001b[0m')).toEqual([
      { ...plain, text: '<script>alert(1)</script>', color: 'rgb(187, 187, 0)' },
    ]);
  });

  it('drops escape codes that are not colours', () => {
    expect(ansiToSegments('a\u001b[2Kb\u001b[?25lc').map((segment) => segment.text).join('')).toBe('abc');
  });
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[1;31merror:\u001b[0m disk full')).toBe('error: disk full');
  });
});
