import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import { listPlaceholders, renderArgv, renderEnv, renderTemplate, scanPlaceholders, type PlaceholderContext } from './placeholders';

const hostile = 'two words "double" \'single\' $(rm -rf /); echo pwned\nsecond line `id` && |';

const context: PlaceholderContext = {
  inputs: { text: hostile, count: '3', nested: '{{inputs.count}}' },
  outputs: { model: '/run/outputs/train/model' },
  runId: 'run-42',
  stepId: 'train',
};

describe('listPlaceholders', () => {
  it('lists known shapes with and without spaces', () => {
    expect(listPlaceholders('--in={{inputs.data}} --out={{ outputs.model }} {{run.id}}/{{step.id}}')).toEqual([
      { kind: 'inputs', name: 'data', raw: '{{inputs.data}}' },
      { kind: 'outputs', name: 'model', raw: '{{ outputs.model }}' },
      { kind: 'run', name: 'id', raw: '{{run.id}}' },
      { kind: 'step', name: 'id', raw: '{{step.id}}' },
    ]);
  });

  it('leaves out unknown shapes that scanPlaceholders keeps', () => {
    const template = '{{item}} {{ foo }} {{inputs.x}}';
    expect(listPlaceholders(template)).toEqual([{ kind: 'inputs', name: 'x', raw: '{{inputs.x}}' }]);
    expect(scanPlaceholders(template).map((token) => token.expression)).toEqual(['item', 'foo', 'inputs.x']);
  });

  it('ignores JSON braces and lone openers', () => {
    expect(scanPlaceholders('{"a":{"b":1}} {{ not closed')).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it('substitutes every kind', () => {
    expect(renderTemplate('{{run.id}}/{{ step.id }}/{{inputs.count}} -> {{outputs.model}}', context)).toBe(
      'run-42/train/3 -> /run/outputs/train/model',
    );
  });

  it('does not expand placeholders inside substituted values', () => {
    expect(renderTemplate('{{inputs.nested}}', context)).toBe('{{inputs.count}}');
  });

  it('throws invalid_pipeline for an undeclared input', () => {
    expect(() => renderTemplate('{{inputs.missing}}', context)).toThrow(PipedeckError);
    expect(() => renderTemplate('{{inputs.missing}}', context)).toThrow(
      'step `train`: `{{inputs.missing}}` refers to input `missing`, which the step does not declare',
    );
  });

  it('does not resolve Object.prototype names', () => {
    expect(() => renderTemplate('{{inputs.constructor}}', context)).toThrow('refers to input `constructor`');
  });

  it('rejects {{item}} as not supported yet', () => {
    try {
      renderTemplate('{{ item }}', context);
      expect.unreachable('renderTemplate should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(PipedeckError);
      expect((error as PipedeckError).code).toBe('invalid_pipeline');
      expect((error as PipedeckError).message).toBe(
        'step `train`: `{{ item }}` is reserved for forEach, which is not supported yet; remove the placeholder',
      );
    }
  });

  it('rejects run.X other than run.id', () => {
    expect(() => renderTemplate('{{run.name}}', context)).toThrow('`{{run.name}}` is not a known placeholder');
  });
});

describe('renderArgv', () => {
  it('keeps a hostile value inside one element', () => {
    const argv = renderArgv(['python', 'main.py', '--text', '{{inputs.text}}', '--n={{inputs.count}}'], context);
    expect(argv).toEqual(['python', 'main.py', '--text', hostile, '--n=3']);
  });

  it('returns one element per template, empty ones included', () => {
    expect(renderArgv(['', '{{inputs.count}}', ' '], context)).toEqual(['', '3', ' ']);
  });

  it('passes the value as one literal argument to a real process', () => {
    const argv = renderArgv(['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '{{inputs.text}}', 'after'], context);
    const result = spawnSync(process.execPath, argv, { encoding: 'utf8' });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([hostile, 'after']);
  });
});

describe('renderEnv', () => {
  it('renders values and keeps names', () => {
    expect(renderEnv([{ name: 'OUT', value: '{{outputs.model}}' }, { name: 'RUN', value: 'r={{run.id}}' }], context)).toEqual({
      OUT: '/run/outputs/train/model',
      RUN: 'r=run-42',
    });
  });
});
