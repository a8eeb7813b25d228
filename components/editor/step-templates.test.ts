import { describe, expect, it } from 'vitest';

import { commandWithScript, createStep, isStepKind, nextStepId, scriptArgumentsHint, scriptOf } from './step-templates';
import { buildPipeline } from './test-pipelines';

describe('nextStepId', () => {
  it('numbers from the step count plus one', () => {
    const pipeline = buildPipeline([{ id: 'step-1', name: 'x', image: 'a', command: ['b'] }]);

    expect(nextStepId(pipeline, 'container')).toBe('step-2');
    expect(nextStepId(pipeline, 'python')).toBe('python-2');
  });
});

describe('createStep', () => {
  it('names $0 of a shell step', () => {
    expect(createStep('shell', 'shell-1', { x: 0, y: 0 }).command).toEqual(['sh', '-c', 'echo "Hello from a shell step"', 'sh']);
  });

  it('runs a python step with -c', () => {
    expect(createStep('python', 'python-1', { x: 0, y: 0 }).command).toEqual(['python3', '-c', 'print("Hello from a Python step")']);
  });
});

describe('scriptOf', () => {
  it('reads the script of a shell step', () => {
    expect(scriptOf({ kind: 'shell', command: ['sh', '-c', 'ls\necho done', 'sh'] })).toBe('ls\necho done');
  });

  it('reads a shell step without the $0 name', () => {
    expect(scriptOf({ kind: 'shell', command: ['sh', '-c', 'echo "$0"'] })).toBe('echo "$0"');
  });

  it('reads the script of a python step', () => {
    expect(scriptOf({ kind: 'python', command: ['python3', '-c', 'print(1)'] })).toBe('print(1)');
  });

  it('returns undefined for another command shape', () => {
    expect(scriptOf({ kind: 'shell', command: ['bash', '-c', 'ls'] })).toBeUndefined();
    expect(scriptOf({ kind: 'shell', command: ['sh', '-c', 'ls', 'bash'] })).toBeUndefined();
    expect(scriptOf({ kind: 'shell', command: ['sh', '-c'] })).toBeUndefined();
    expect(scriptOf({ kind: 'python', command: ['python3', '-c', 'print(1)', 'x'] })).toBeUndefined();
    expect(scriptOf({ kind: 'container', command: ['sh', '-c', 'ls'] })).toBeUndefined();
  });
});

describe('commandWithScript', () => {
  it('puts the script after the interpreter', () => {
    expect(commandWithScript({ kind: 'python', command: ['python3', '-c', 'print(0)'] }, 'print(1)')).toEqual([
      'python3',
      '-c',
      'print(1)',
    ]);
  });

  it('keeps the $0 name of a shell step', () => {
    expect(commandWithScript({ kind: 'shell', command: ['sh', '-c', 'ls', 'sh'] }, 'pwd')).toEqual(['sh', '-c', 'pwd', 'sh']);
  });

  it('adds no $0 name to an older shell step', () => {
    expect(commandWithScript({ kind: 'shell', command: ['sh', '-c', 'ls'] }, 'pwd')).toEqual(['sh', '-c', 'pwd']);
  });
});

describe('scriptArgumentsHint', () => {
  it('starts shell arguments at $1', () => {
    expect(scriptArgumentsHint({ kind: 'shell', command: ['sh', '-c', 'ls', 'sh'] })).toBe('Arguments: $1, $2… in the script.');
  });

  it('starts older shell arguments at $0', () => {
    expect(scriptArgumentsHint({ kind: 'shell', command: ['sh', '-c', 'ls'] })).toBe(
      'Arguments: $0, $1… in the script, because the command has no name for $0 after the script.',
    );
  });

  it('starts python arguments at sys.argv[1]', () => {
    expect(scriptArgumentsHint({ kind: 'python', command: ['python3', '-c', 'print(1)'] })).toBe(
      'Arguments: sys.argv[1], sys.argv[2]… in the script.',
    );
  });
});

describe('isStepKind', () => {
  it('accepts palette kinds only', () => {
    expect(isStepKind('python')).toBe(true);
    expect(isStepKind('bash')).toBe(false);
  });
});
