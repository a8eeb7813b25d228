import { describe, expect, it } from 'vitest';

import type { Step } from '@/lib/pipeline/schema';

import { editLimit, editRunAsNonRoot, limitIssues, limitText, runsAsNonRoot, type LimitField } from './step-limits';
import { updateStep } from './step-edits';
import { buildPipeline } from './test-pipelines';

function plainStep(fields: Partial<Step> = {}): Step {
  return buildPipeline([{ id: 'train', name: 'Train', image: 'python:3.12-slim', command: ['python3'], ...fields }]).steps[0]!;
}

/** Applies a series of typed edits the way the form does, failing the test on a rejected one. */
function typeInto(step: Step, edits: [LimitField, string][]): Step {
  let pipeline = buildPipeline([step]);
  for (const [field, text] of edits) {
    const edit = editLimit(pipeline.steps[0]!, field, text);
    if (!edit.ok) throw new Error(`${field} = ${text} rejected: ${edit.message}`);
    pipeline = updateStep(pipeline, 'train', edit.patch);
  }
  return pipeline.steps[0]!;
}

describe('editLimit', () => {
  it('stores every field at its schema path', () => {
    const step = typeInto(plainStep(), [
      ['timeoutSeconds', '600'],
      ['resources.requests.cpu', '500m'],
      ['resources.limits.cpu', '2'],
      ['resources.requests.memory', '512Mi'],
      ['resources.limits.memory', '1Gi'],
      ['resources.limits.gpu', '1'],
      ['security.runAsUser', '1000'],
    ]);

    expect(step.timeoutSeconds).toBe(600);
    expect(step.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi', gpu: 1 } });
    expect(step.security).toEqual({ runAsUser: 1000 });
    expect(limitIssues(step)).toEqual([]);
  });

  it('removes emptied objects so the step has no limit keys', () => {
    const step = typeInto(plainStep(), [
      ['timeoutSeconds', '60'],
      ['resources.requests.cpu', '1'],
      ['resources.limits.gpu', '2'],
      ['security.runAsUser', '0'],
      ['timeoutSeconds', ''],
      ['resources.requests.cpu', ''],
      ['resources.limits.gpu', ' '],
      ['security.runAsUser', ''],
    ]);

    expect('timeoutSeconds' in step).toBe(false);
    expect('resources' in step).toBe(false);
    expect('security' in step).toBe(false);
  });

  it('keeps the other half of resources when one half empties', () => {
    const step = typeInto(plainStep({ resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } } }), [['resources.requests.cpu', '']]);

    expect(step.resources).toEqual({ limits: { memory: '1Gi' } });
  });

  it('keeps a bad quantity so the edit is not lost', () => {
    const step = typeInto(plainStep(), [['resources.limits.memory', '1GB']]);

    expect(step.resources).toEqual({ limits: { memory: '1GB' } });
    expect(limitText(step, 'resources.limits.memory')).toBe('1GB');
  });

  it('rejects text that is no number in integer fields', () => {
    const edit = editLimit(plainStep(), 'timeoutSeconds', '10s');

    expect(edit).toEqual({ ok: false, message: 'must be a whole number of seconds from 1 to 604800 (7 days)' });
  });
});

describe('run as non-root', () => {
  it('treats unset as checked and stores only false', () => {
    const step = plainStep();
    expect(runsAsNonRoot(step)).toBe(true);

    const unchecked = editRunAsNonRoot(step, false);
    expect(unchecked).toEqual({ security: { runAsNonRoot: false } });

    const rootStep = plainStep({ security: { runAsNonRoot: false, runAsUser: 0 } });
    expect(runsAsNonRoot(rootStep)).toBe(false);
    expect(editRunAsNonRoot(rootStep, true)).toEqual({ security: { runAsUser: 0 } });
    expect(editRunAsNonRoot(plainStep({ security: { runAsNonRoot: false } }), true)).toEqual({ security: undefined });
  });
});

describe('limitIssues', () => {
  it('reports each value the schema rejects', () => {
    const step = plainStep();
    step.timeoutSeconds = 0;
    step.resources = { requests: { cpu: '0.5 cores' }, limits: { memory: '1GB', gpu: 1.5 } };
    step.security = { runAsUser: -1 };

    expect(limitIssues(step)).toEqual([
      {
        code: 'invalid_field',
        stepId: 'train',
        field: 'timeoutSeconds',
        message: 'step `train`: timeoutSeconds must be a whole number of seconds from 1 to 604800 (7 days)',
      },
      {
        code: 'invalid_field',
        stepId: 'train',
        field: 'resources.requests.cpu',
        message: 'step `train`: resources.requests.cpu must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi',
      },
      {
        code: 'invalid_field',
        stepId: 'train',
        field: 'resources.limits.memory',
        message: 'step `train`: resources.limits.memory must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi',
      },
      {
        code: 'invalid_field',
        stepId: 'train',
        field: 'resources.limits.gpu',
        message: 'step `train`: resources.limits.gpu must be a whole number of GPUs from 0 to 64',
      },
      {
        code: 'invalid_field',
        stepId: 'train',
        field: 'security.runAsUser',
        message: 'step `train`: security.runAsUser must be a whole-number user id from 0 to 2147483647',
      },
    ]);
  });

  it('accepts the quantities the schema accepts', () => {
    for (const quantity of ['500m', '2', '0.5', '512Mi', '1Gi', '1.5Gi', '100M']) {
      expect(limitIssues(plainStep({ resources: { limits: { cpu: quantity, memory: quantity } } }))).toEqual([]);
    }
  });
});
