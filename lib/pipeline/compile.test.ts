import { describe, expect, it } from 'vitest';

import { PipedeckError } from '../errors';
import { compilePipeline, type PlanInput } from './compile';
import type { ValidationIssue } from './issues';
import { pipelineSchema, type Pipeline, type PipelineInput, type StepInput } from './schema';

function step(id: string, extra: Partial<StepInput> = {}): StepInput {
  return { id, name: id, image: 'alpine', command: ['true'], ...extra };
}

function pipeline(steps: StepInput[], extra: Partial<PipelineInput> = {}): Pipeline {
  return pipelineSchema.parse({ name: 'demo', steps, ...extra });
}

/** Listed out of order on purpose: report, train, prep, lint, evaluate. */
function mlPipeline(): Pipeline {
  return pipeline(
    [
      step('report', {
        inputs: [{ name: 'score', type: 'number', from: { step: 'evaluate', output: 'score' } }],
        dependsOn: ['lint', 'train', 'lint'],
      }),
      step('train', {
        inputs: [
          { name: 'data', type: 'artifact', from: { step: 'prep', output: 'data' } },
          { name: 'epochs', type: 'number', from: { parameter: 'epochs' } },
          { name: 'config', type: 'json', from: { parameter: 'config' } },
          { name: 'seed', type: 'number', from: { value: 7 } },
          { name: 'mode', type: 'string', default: 'fast' },
          { name: 'resume', type: 'artifact', optional: true },
        ],
        outputs: [{ name: 'model', type: 'artifact' }],
      }),
      step('prep', { outputs: [{ name: 'data', type: 'artifact' }] }),
      step('lint'),
      step('evaluate', {
        inputs: [
          { name: 'model', type: 'artifact', from: { step: 'train', output: 'model' } },
          { name: 'data', type: 'artifact', from: { step: 'prep', output: 'data' } },
        ],
        outputs: [{ name: 'score', type: 'number' }],
      }),
    ],
    {
      parameters: [
        { name: 'epochs', type: 'number', default: 3 },
        { name: 'config', type: 'json' },
      ],
    },
  );
}

describe('compilePipeline', () => {
  it('orders steps topologically with pipeline order breaking ties', () => {
    const plan = compilePipeline(mlPipeline(), { config: { lr: 0.1 } });
    expect(plan.steps.map((planned) => planned.step.id)).toEqual(['prep', 'train', 'lint', 'evaluate', 'report']);
  });

  it('lists data and order edges as sorted unique upstream sets', () => {
    const plan = compilePipeline(mlPipeline(), { config: {} });
    const upstream = Object.fromEntries(plan.steps.map((planned) => [planned.step.id, planned.upstream]));
    expect(upstream).toEqual({
      prep: [],
      train: ['prep'],
      lint: [],
      evaluate: ['prep', 'train'],
      report: ['evaluate', 'lint', 'train'],
    });
  });

  it('resolves each input source', () => {
    const plan = compilePipeline(mlPipeline(), { config: { lr: 0.1 } });
    const train = plan.steps.find((planned) => planned.step.id === 'train')!;
    expect(train.inputs).toEqual<PlanInput[]>([
      { name: 'data', type: 'artifact', source: { kind: 'output', stepId: 'prep', output: 'data' } },
      { name: 'epochs', type: 'number', source: { kind: 'value', value: '3' } },
      { name: 'config', type: 'json', source: { kind: 'value', value: '{"lr":0.1}' } },
      { name: 'seed', type: 'number', source: { kind: 'value', value: '7' } },
      { name: 'mode', type: 'string', source: { kind: 'value', value: 'fast' } },
      { name: 'resume', type: 'artifact', source: { kind: 'absent' } },
    ]);
  });

  it('fills parameter defaults and keeps given values', () => {
    expect(compilePipeline(mlPipeline(), { config: 'text' }).parameters).toEqual({ epochs: 3, config: 'text' });
    expect(compilePipeline(mlPipeline(), { epochs: 9, config: null }).parameters).toEqual({ epochs: 9, config: null });
  });

  it('keeps the step definitions', () => {
    const source = mlPipeline();
    const plan = compilePipeline(source, { config: {} });
    expect(plan.steps.find((planned) => planned.step.id === 'lint')!.step).toEqual(source.steps[3]);
  });

  it('throws invalid_pipeline with the issues as details', () => {
    const broken = pipeline([step('a', { dependsOn: ['b'] }), step('b', { dependsOn: ['a'] })]);
    try {
      compilePipeline(broken, {});
      expect.unreachable('compilePipeline should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(PipedeckError);
      const pipedeckError = error as PipedeckError;
      expect(pipedeckError.code).toBe('invalid_pipeline');
      expect(pipedeckError.status).toBe(422);
      expect(pipedeckError.details).toEqual<ValidationIssue[]>([
        {
          code: 'cycle',
          stepId: 'a',
          message: 'steps form a cycle: a → b → a; remove one of these connections (an input binding or a dependsOn entry) so every step can start',
        },
      ]);
      expect(pipedeckError.message).toBe(
        'pipeline `demo` has 1 problem:\nsteps form a cycle: a → b → a; remove one of these connections (an input binding or a dependsOn entry) so every step can start',
      );
    }
  });

  it('throws invalid_parameters for missing, unknown and mistyped values', () => {
    try {
      compilePipeline(mlPipeline(), { epochs: '3', extra: 1 });
      expect.unreachable('compilePipeline should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(PipedeckError);
      expect((error as PipedeckError).code).toBe('invalid_parameters');
      expect((error as PipedeckError).details).toEqual([
        { name: 'extra', message: '`extra` is not a parameter of this pipeline' },
        { name: 'epochs', message: '`epochs` (number): expected a number, got the string "3"' },
        { name: 'config', message: '`config` is required; give it a json value' },
      ]);
    }
  });

  it('plans 2000 steps in order', () => {
    const steps = Array.from({ length: 2000 }, (_, index) =>
      step(`s${index}`, index === 0 ? {} : { dependsOn: [`s${index - 1}`, ...(index > 1 ? [`s${index - 2}`] : [])] }),
    );
    const plan = compilePipeline(pipeline(steps.reverse()), {});
    expect(plan.steps).toHaveLength(2000);
    expect(plan.steps.slice(0, 3).map((planned) => planned.step.id)).toEqual(['s0', 's1', 's2']);
    expect(plan.steps[1999]!.upstream).toEqual(['s1997', 's1998']);
  });
});
