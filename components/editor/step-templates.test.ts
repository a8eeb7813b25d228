import { describe, expect, it } from 'vitest';

import { commandWithScript, isStepKind, nextStepId, scriptOf } from './step-templates';
import { buildPipeline } from './test-pipelines';

describe('nextStepId', () => {
  it('numbers from the step count plus one', () => {
    const pipeline = buildPipeline([{ id: 'step-1', name: 'x', image: 'a', command: ['b'] }]);

    expect(nextStepId(pipeline, 'container')).toBe('step-2');
    expect(nextStepId(pipeline, 'python')).toBe('python-2');
  });
});

describe('scriptOf', () => {
  it('reads the script of a shell step', () => {
    expect(scriptOf({ kind: 'shell', command: ['sh', '-c', 'ls\necho done'] })).toBe('ls\necho done');
  });

  it('returns undefined for another command shape', () => {
    expect(scriptOf({ kind: 'shell', command: ['bash', '-c', 'ls'] })).toBeUndefined();
    expect(scriptOf({ kind: 'container', command: ['sh', '-c', 'ls'] })).toBeUndefined();
  });
});

describe('commandWithScript', () => {
  it('puts the script after the interpreter', () => {
    expect(commandWithScript('python', 'print(1)')).toEqual(['python3', '-c', 'print(1)']);
  });
});

describe('isStepKind', () => {
  it('accepts palette kinds only', () => {
    expect(isStepKind('python')).toBe(true);
    expect(isStepKind('bash')).toBe(false);
  });
});
