import { describe, expect, it } from 'vitest';

import { describeInputSource, formatValue } from './input-source';

describe('describeInputSource', () => {
  it('names an upstream output', () => {
    expect(describeInputSource({ name: 'data', type: 'artifact', from: { step: 'clean', output: 'data' } })).toBe('from clean.data');
  });

  it('names a parameter', () => {
    expect(describeInputSource({ name: 'lr', type: 'number', from: { parameter: 'learning_rate' } })).toBe('parameter learning_rate');
  });

  it('shows a constant and a default as JSON', () => {
    expect(describeInputSource({ name: 'n', type: 'number', from: { value: 3 } })).toBe('constant 3');
    expect(describeInputSource({ name: 's', type: 'string', default: 'x' })).toBe('default "x"');
  });

  it('says when nothing is bound', () => {
    expect(describeInputSource({ name: 's', type: 'string' })).toBe('not set');
    expect(describeInputSource({ name: 's', type: 'string', optional: true })).toBe('not set (optional)');
  });
});

describe('formatValue', () => {
  it('keeps strings and writes other values as JSON', () => {
    expect(formatValue('data.csv')).toBe('data.csv');
    expect(formatValue(0.25)).toBe('0.25');
    expect(formatValue({ a: [1, true] })).toBe('{"a":[1,true]}');
  });
});
