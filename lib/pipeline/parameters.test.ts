import { describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import { formatValue, resolveParameters, valueMatchesType } from './parameters';
import { pipelineSchema, type JsonValue, type PipelineParameter, type PortType, type ValueType } from './schema';

function pipelineWith(parameters: PipelineParameter[]) {
  return pipelineSchema.parse({ name: 'p', parameters, steps: [] });
}

function problemsOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PipedeckError);
    expect((error as PipedeckError).code).toBe('invalid_parameters');
    return (error as PipedeckError).details;
  }
  throw new Error('expected resolveParameters to throw');
}

describe('resolveParameters coercion', () => {
  const accepted: [ValueType, unknown, unknown][] = [
    ['string', 'abc', 'abc'],
    ['string', '', ''],
    ['string', 5, '5'],
    ['string', true, 'true'],
    ['number', 3, 3],
    ['number', '3', 3],
    ['number', ' -0.5 ', -0.5],
    ['number', '1e3', 1000],
    ['number', '.25', 0.25],
    ['boolean', true, true],
    ['boolean', 'true', true],
    ['boolean', 'FALSE', false],
    ['json', '{"a":[1,2]}', { a: [1, 2] }],
    ['json', '"text"', 'text'],
    ['json', '7', 7],
    ['json', { a: null }, { a: null }],
    ['json', [1, 'x'], [1, 'x']],
    ['json', null, null],
    ['json', 4, 4],
  ];

  it.each(accepted)('%s accepts %j as %j', (type, raw, expected) => {
    const pipeline = pipelineWith([{ name: 'p', type }]);
    expect(resolveParameters(pipeline, { p: raw })).toEqual({ p: expected });
  });

  const rejected: [ValueType, unknown, string][] = [
    ['string', null, '`p` (string): expected a string, got null'],
    ['string', { a: 1 }, '`p` (string): expected a string, got an object'],
    ['number', 'abc', '`p` (number): expected a number, got the string "abc"'],
    ['number', '0x10', '`p` (number): expected a number, got the string "0x10"'],
    ['number', 'Infinity', '`p` (number): expected a number, got the string "Infinity"'],
    ['number', '1e999', '`p` (number): the string "1e999" is out of the range of numbers'],
    ['number', Number.NaN, '`p` (number): expected a number, got the number NaN'],
    ['number', true, '`p` (number): expected a number, got the boolean true'],
    ['boolean', 'yes', '`p` (boolean): expected true or false, got the string "yes"'],
    ['boolean', 1, '`p` (boolean): expected true or false, got the number 1'],
    ['json', '{a:1}', `\`p\` (json): the string "{a:1}" is not valid JSON (${jsonError('{a:1}')})`],
    ['json', new Date(0), '`p` (json): expected a JSON value, got an object'],
  ];

  it.each(rejected)('%s rejects %j', (type, raw, message) => {
    const pipeline = pipelineWith([{ name: 'p', type }]);
    expect(problemsOf(() => resolveParameters(pipeline, { p: raw }))).toEqual([{ name: 'p', message }]);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('resolveParameters defaults and names', () => {
  const pipeline = pipelineWith([
    { name: 'epochs', type: 'number', default: 10 },
    { name: 'dataset', type: 'string' },
    { name: 'verbose', type: 'boolean', default: false },
    { name: 'config', type: 'json' },
  ]);

  it('fills defaults and treats blank form fields as not given', () => {
    expect(resolveParameters(pipeline, { dataset: 'mnist', epochs: '', verbose: undefined, config: '[]' })).toEqual({
      epochs: 10,
      dataset: 'mnist',
      verbose: false,
      config: [],
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() => resolveParameters(pipeline, { epochs: 'ten', learningRate: 0.1, config: ' ' }));
    expect(problems).toEqual([
      { name: 'learningRate', message: '`learningRate` is not a parameter of this pipeline; declared parameters: `epochs`, `dataset`, `verbose`, `config`' },
      { name: 'epochs', message: '`epochs` (number): expected a number, got the string "ten"' },
      { name: 'dataset', message: '`dataset` is required; give it a string value' },
      { name: 'config', message: '`config` is required; give it a json value' },
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => resolveParameters(pipeline, { epochs: 'ten', dataset: 'x', config: '1' })).toThrow(
      'invalid parameters: `epochs` (number): expected a number, got the string "ten"',
    );
  });

  it('does not take Object.prototype names as given', () => {
    const problems = problemsOf(() => resolveParameters(pipelineWith([{ name: 'constructor', type: 'string' }]), {}));
    expect(problems).toEqual([{ name: 'constructor', message: '`constructor` is required; give it a string value' }]);
  });

  it('names a pipeline with no parameters', () => {
    expect(problemsOf(() => resolveParameters(pipelineWith([]), { x: 1 }))).toEqual([
      { name: 'x', message: '`x` is not a parameter of this pipeline; the pipeline declares no parameters' },
    ]);
  });
});

describe('formatValue', () => {
  it.each([
    ['text with "quotes"', 'text with "quotes"'],
    [3, '3'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [[1, 'a'], '[1,"a"]'],
    [{ k: { n: 1 } }, '{"k":{"n":1}}'],
  ])('formats %j as %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

describe('valueMatchesType', () => {
  const cases: [JsonValue, PortType, boolean][] = [
    ['a', 'string', true],
    [1, 'string', false],
    [1, 'number', true],
    [Number.POSITIVE_INFINITY, 'number', false],
    ['1', 'number', false],
    [false, 'boolean', true],
    [null, 'json', true],
    [{ a: [1] }, 'json', true],
    ['path', 'artifact', false],
  ];

  it.each(cases)('%j as %s is %s', (value, type, expected) => {
    expect(valueMatchesType(value, type)).toBe(expected);
  });
});
