import { describe, expect, it } from 'vitest';

import { chooseExecutor, type ExecutorInfo } from './executor-choice';

const process: ExecutorInfo = { name: 'process', available: true, detail: 'runs steps as host processes' };
const kubernetesDown: ExecutorInfo = { name: 'kubernetes', available: false, detail: 'connect ECONNREFUSED 127.0.0.1:6443' };
const kubernetesUp: ExecutorInfo = { name: 'kubernetes', available: true, detail: 'namespace ml' };

describe('chooseExecutor', () => {
  it('keeps an unavailable remembered executor and blocks the run', () => {
    const choice = chooseExecutor([process, kubernetesDown], 'kubernetes', null);

    expect(choice.executor).toBe('kubernetes');
    expect(choice.blocked).toBe(
      'kubernetes is not available: connect ECONNREFUSED 127.0.0.1:6443. Choose another executor to run now.',
    );
  });

  it('runs with an executor the person picked over the remembered one', () => {
    expect(chooseExecutor([process, kubernetesDown], 'kubernetes', 'process')).toEqual({ executor: 'process', blocked: null });
  });

  it('selects an available remembered executor', () => {
    expect(chooseExecutor([process, kubernetesUp], 'kubernetes', null)).toEqual({ executor: 'kubernetes', blocked: null });
  });

  it('selects the first available executor without a remembered one', () => {
    expect(chooseExecutor([kubernetesDown, process], null, null)).toEqual({ executor: 'process', blocked: null });
  });

  it('blocks a remembered executor the server no longer offers', () => {
    const choice = chooseExecutor([process], 'kubernetes', null);

    expect(choice.executor).toBe('kubernetes');
    expect(choice.blocked).toBe('kubernetes is not available: this server does not offer it. Choose another executor to run now.');
  });

  it('blocks a picked executor that became unavailable', () => {
    const choice = chooseExecutor([process, kubernetesDown], null, 'kubernetes');

    expect(choice.executor).toBe('kubernetes');
    expect(choice.blocked).toBe(
      'kubernetes is not available: connect ECONNREFUSED 127.0.0.1:6443. Choose another executor to run now.',
    );
  });

  it('sends the remembered executor when the list failed to load', () => {
    expect(chooseExecutor(undefined, 'kubernetes', null)).toEqual({ executor: 'kubernetes', blocked: null });
    expect(chooseExecutor(undefined, null, null)).toEqual({ executor: null, blocked: null });
  });

  it('selects nothing when no executor is available', () => {
    expect(chooseExecutor([kubernetesDown], null, null)).toEqual({ executor: null, blocked: null });
  });
});
