import { describe, expect, it } from 'vitest';

import type { ValidationIssue } from './issues';
import { canFeed, parsePipeline, validatePipeline } from './validate';
import { pipelineSchema, type Pipeline, type PipelineInput, type StepInput } from './schema';

function step(id: string, extra: Partial<StepInput> = {}): StepInput {
  return { id, name: id, image: 'python:3.12-slim', command: ['python'], ...extra };
}

function pipeline(steps: StepInput[], extra: Partial<PipelineInput> = {}): Pipeline {
  return pipelineSchema.parse({ name: 'demo', steps, ...extra });
}

/** prep writes an artifact and a number; train reads them. */
function trainingPipeline(): Pipeline {
  return pipeline(
    [
      step('prep', { outputs: [{ name: 'data', type: 'artifact' }, { name: 'rows', type: 'number' }], args: ['--out={{outputs.data}}'] }),
      step('train', {
        inputs: [
          { name: 'data', type: 'artifact', from: { step: 'prep', output: 'data' } },
          { name: 'epochs', type: 'number', from: { parameter: 'epochs' } },
          { name: 'note', type: 'string', from: { step: 'prep', output: 'rows' } },
        ],
        args: ['{{inputs.data}}', '--epochs', '{{ inputs.epochs }}', '--run={{run.id}}/{{step.id}}'],
        env: [{ name: 'NOTE', value: '{{inputs.note}}' }],
      }),
    ],
    { parameters: [{ name: 'epochs', type: 'number', default: 3 }] },
  );
}

describe('validatePipeline', () => {
  it('accepts a valid pipeline', () => {
    expect(validatePipeline(trainingPipeline())).toEqual([]);
  });

  it('reports a cycle once, naming the steps in order', () => {
    const issues = validatePipeline(
      pipeline([
        step('a', { dependsOn: ['c'], outputs: [{ name: 'out', type: 'string' }] }),
        step('b', { inputs: [{ name: 'x', type: 'string', from: { step: 'a', output: 'out' } }] }),
        step('c', { dependsOn: ['b'] }),
      ]),
    );
    expect(issues).toEqual<ValidationIssue[]>([
      {
        code: 'cycle',
        stepId: 'a',
        message:
          'steps form a cycle: a → b → c → a; remove one of these connections (an input binding or a dependsOn entry) so every step can start',
      },
    ]);
  });

  it('reports a duplicate step id', () => {
    expect(validatePipeline(pipeline([step('a'), step('b'), step('a')]))).toEqual<ValidationIssue[]>([
      { code: 'duplicate_step_id', stepId: 'a', field: 'id', message: 'step id `a` is used by steps[0] and steps[2]; give each step a unique id' },
    ]);
  });

  it('reports an invalid step id', () => {
    const draft = trainingPipeline();
    draft.steps[0]!.id = 'Prep_1';
    const issues = validatePipeline(draft);
    expect(issues[0]).toEqual<ValidationIssue>({
      code: 'invalid_step_id',
      stepId: 'Prep_1',
      field: 'id',
      message:
        'step id `Prep_1` is invalid: an id must be a DNS-1123 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters); rename the step',
    });
  });

  it('reports an unbound required input', () => {
    const issues = validatePipeline(pipeline([step('train', { inputs: [{ name: 'data', type: 'artifact' }] })]));
    expect(issues).toEqual<ValidationIssue[]>([
      {
        code: 'unbound_input',
        stepId: 'train',
        field: 'inputs[0]',
        message: 'step `train`: input `data` (artifact) is not connected to any upstream output or parameter; connect it or give it a default',
      },
    ]);
  });

  it('accepts unbound inputs that are optional or have a default', () => {
    const issues = validatePipeline(
      pipeline([step('train', { inputs: [{ name: 'a', type: 'string', optional: true }, { name: 'b', type: 'number', default: 1 }] })]),
    );
    expect(issues).toEqual([]);
  });

  it('reports an unknown placeholder with its field', () => {
    const issues = validatePipeline(pipeline([step('train', { args: ['--x', '{{inputs.data}}'] })]));
    expect(issues).toEqual<ValidationIssue[]>([
      {
        code: 'unknown_placeholder',
        stepId: 'train',
        field: 'args[1]',
        message: 'step `train`: args[1]: `{{inputs.data}}` refers to input `data`, which the step does not declare; add the input or fix the placeholder',
      },
    ]);
  });

  it('reports unknown placeholders in command, env, outputs, run and {{item}}', () => {
    const issues = validatePipeline(
      pipeline([
        step('train', {
          command: ['python', '{{outputs.model}}'],
          args: ['{{item}}', '{{run.name}}', '{{ weird }}'],
          env: [{ name: 'A', value: 'x={{inputs.nope}}' }],
        }),
      ]),
    );
    expect(issues.map((issue) => [issue.code, issue.field, issue.message])).toEqual([
      ['unknown_placeholder', 'command[1]', 'step `train`: command[1]: `{{outputs.model}}` refers to output `model`, which the step does not declare; add the output or fix the placeholder'],
      ['unknown_placeholder', 'args[0]', 'step `train`: args[0]: `{{item}}` is reserved for forEach, which is not supported yet; remove the placeholder'],
      ['unknown_placeholder', 'args[1]', 'step `train`: args[1]: `{{run.name}}` is not a known placeholder; only {{run.id}} exists'],
      ['unknown_placeholder', 'args[2]', 'step `train`: args[2]: `{{ weird }}` is not a known placeholder; use {{inputs.NAME}}, {{outputs.NAME}}, {{run.id}} or {{step.id}}'],
      ['unknown_placeholder', 'env[0].value', 'step `train`: env[0].value: `{{inputs.nope}}` refers to input `nope`, which the step does not declare; add the input or fix the placeholder'],
    ]);
  });

  it('reports a missing image and an empty command', () => {
    const issues = validatePipeline(pipeline([step('a', { image: ' ', command: [] }), step('b', { command: [''] })]));
    expect(issues).toEqual<ValidationIssue[]>([
      { code: 'missing_image', stepId: 'a', field: 'image', message: 'step `a`: the image is empty; set the container image to run, e.g. `python:3.12-slim`' },
      { code: 'missing_command', stepId: 'a', field: 'command', message: 'step `a`: the command is empty; set the program to run, e.g. `python` with its arguments in args' },
      { code: 'missing_command', stepId: 'b', field: 'command', message: 'step `b`: the command is empty; set the program to run, e.g. `python` with its arguments in args' },
    ]);
  });

  it('reports dependsOn on a missing step and on itself', () => {
    const issues = validatePipeline(pipeline([step('a', { dependsOn: ['ghost', 'a'] })]));
    expect(issues).toEqual<ValidationIssue[]>([
      { code: 'unknown_step', stepId: 'a', field: 'dependsOn[0]', message: 'step `a`: dependsOn names step `ghost`, which does not exist; remove it or add a step with that id' },
      { code: 'self_dependency', stepId: 'a', field: 'dependsOn[1]', message: 'step `a`: dependsOn names the step itself; remove `a` from its dependsOn' },
    ]);
  });

  it('reports bindings to a missing step, a missing output and the step itself', () => {
    const issues = validatePipeline(
      pipeline([
        step('prep', { outputs: [{ name: 'data', type: 'artifact' }] }),
        step('train', {
          outputs: [{ name: 'model', type: 'artifact' }],
          inputs: [
            { name: 'a', type: 'artifact', from: { step: 'ghost', output: 'data' } },
            { name: 'b', type: 'artifact', from: { step: 'prep', output: 'dataset' } },
            { name: 'c', type: 'artifact', from: { step: 'train', output: 'model' } },
          ],
        }),
      ]),
    );
    expect(issues).toEqual<ValidationIssue[]>([
      { code: 'unknown_step', stepId: 'train', field: 'inputs[0].from', message: 'step `train`: input `a` (artifact) is bound to step `ghost`, which does not exist; connect it to an existing step' },
      {
        code: 'unknown_output',
        stepId: 'train',
        field: 'inputs[1].from',
        message: 'step `train`: input `b` (artifact) is bound to output `dataset` of step `prep`, which declares no such output (declared: `data`); connect it to a declared output',
      },
      { code: 'self_dependency', stepId: 'train', field: 'inputs[2].from', message: 'step `train`: input `c` (artifact) is bound to an output of its own step; connect it to an upstream step' },
    ]);
  });

  it('reports a binding to an undeclared parameter', () => {
    const issues = validatePipeline(pipeline([step('train', { inputs: [{ name: 'lr', type: 'number', from: { parameter: 'rate' } }] })]));
    expect(issues).toEqual<ValidationIssue[]>([
      {
        code: 'unknown_parameter',
        stepId: 'train',
        field: 'inputs[0].from',
        message: 'step `train`: input `lr` (number) is bound to pipeline parameter `rate`, which is not declared; declare the parameter or change the binding',
      },
    ]);
  });

  it('reports type mismatches for outputs, parameters and constants', () => {
    const issues = validatePipeline(
      pipeline(
        [
          step('prep', { outputs: [{ name: 'data', type: 'artifact' }, { name: 'text', type: 'string' }] }),
          step('train', {
            inputs: [
              { name: 'n', type: 'number', from: { step: 'prep', output: 'data' } },
              { name: 'files', type: 'artifact', from: { step: 'prep', output: 'text' } },
              { name: 'flag', type: 'boolean', from: { parameter: 'name' } },
              { name: 'k', type: 'number', from: { value: 'three' } },
              { name: 'dir', type: 'artifact', from: { value: '/data' } },
            ],
          }),
        ],
        { parameters: [{ name: 'name', type: 'string' }] },
      ),
    );
    expect(issues.map((issue) => [issue.code, issue.field, issue.message])).toEqual([
      ['type_mismatch', 'inputs[0].from', "step `train`: input `n` (number) cannot receive output `data` of step `prep` (artifact); connect it to a number or change the input's type to string"],
      ['type_mismatch', 'inputs[1].from', 'step `train`: input `files` (artifact) cannot receive output `text` of step `prep` (string); an artifact input must be connected to an artifact output'],
      ['type_mismatch', 'inputs[2].from', "step `train`: input `flag` (boolean) cannot receive pipeline parameter `name` (string); connect it to a boolean or change the input's type to string"],
      ['type_mismatch', 'inputs[3].from', 'step `train`: input `k` (number) is set to the constant "three", which is not a number; set a number value'],
      ['type_mismatch', 'inputs[4].from', 'step `train`: input `dir` (artifact) is set to a constant, but an artifact input must be connected to an artifact output'],
    ]);
  });

  it('reports defaults that do not match their type', () => {
    const issues = validatePipeline(
      pipeline([step('a', { inputs: [{ name: 'n', type: 'number', default: '5' }, { name: 'f', type: 'artifact', default: '/tmp/f' }] })], {
        parameters: [{ name: 'epochs', type: 'number', default: 'ten' }],
      }),
    );
    expect(issues).toEqual<ValidationIssue[]>([
      {
        code: 'invalid_default',
        field: 'parameters[0].default',
        message: 'parameter `epochs` (number): the default "ten" is not a number; change the default or the type',
      },
      {
        code: 'invalid_default',
        stepId: 'a',
        field: 'inputs[0].default',
        message: 'step `a`: input `n` (number) has the default "5", which is not a number; change the default or the type',
      },
      {
        code: 'invalid_default',
        stepId: 'a',
        field: 'inputs[1].default',
        message: 'step `a`: input `f` (artifact) has a default, but an artifact input cannot have one; remove the default',
      },
    ]);
  });

  it('reports duplicate parameter, port and env names', () => {
    const issues = validatePipeline(
      pipeline(
        [
          step('a', {
            inputs: [{ name: 'x', type: 'string', optional: true }, { name: 'x', type: 'string', optional: true }],
            outputs: [{ name: 'y', type: 'string' }, { name: 'y', type: 'number' }],
            env: [{ name: 'HOME', value: '1' }, { name: 'HOME', value: '2' }],
          }),
        ],
        { parameters: [{ name: 'p', type: 'string', default: '' }, { name: 'p', type: 'number', default: 1 }] },
      ),
    );
    expect(issues.map((issue) => [issue.code, issue.stepId, issue.field, issue.message])).toEqual([
      ['duplicate_name', undefined, 'parameters[1].name', 'parameter name `p` is used by parameters[0] and parameters[1]; rename one of them'],
      ['duplicate_name', 'a', 'inputs[1].name', 'step `a`: input name `x` is used by inputs[0] and inputs[1]; rename one of them'],
      ['duplicate_name', 'a', 'outputs[1].name', 'step `a`: output name `y` is used by outputs[0] and outputs[1]; rename one of them'],
      ['duplicate_name', 'a', 'env[1].name', 'step `a`: environment variable name `HOME` is used by env[0] and env[1]; rename one of them'],
    ]);
  });

  it('reports invalid names and an empty pipeline name in editor drafts', () => {
    const draft = pipeline([step('a', { outputs: [{ name: 'ok', type: 'string' }] })]);
    draft.name = ' ';
    draft.steps[0]!.outputs[0]!.name = 'has space';
    expect(validatePipeline(draft)).toEqual<ValidationIssue[]>([
      { code: 'invalid_field', field: 'name', message: 'the pipeline name is empty; give the pipeline a name' },
      {
        code: 'invalid_field',
        stepId: 'a',
        field: 'outputs[0].name',
        message: 'step `a`: output name `has space` is invalid; use a letter or "_" followed by letters, digits or "_" (at most 63 characters)',
      },
    ]);
  });

  it('validates 2000 steps with thousands of edges', () => {
    const steps = Array.from({ length: 2000 }, (_, index) =>
      step(`s${index}`, {
        outputs: [{ name: 'out', type: 'string' }],
        inputs: index === 0 ? [] : [{ name: 'in', type: 'string', from: { step: `s${index - 1}`, output: 'out' } }],
        dependsOn: Array.from({ length: Math.min(index, 5) }, (_, back) => `s${index - back - 1}`),
        args: index === 0 ? [] : ['{{inputs.in}}', '{{outputs.out}}'],
      }),
    );
    expect(validatePipeline(pipeline(steps))).toEqual([]);

    steps[0] = { ...steps[0]!, dependsOn: ['s1999'] };
    const issues = validatePipeline(pipeline(steps));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('cycle');
    // The shortest loop jumps five steps at a time along the dependsOn edges: 400 hops to s1999, then back.
    const loop = issues[0]!.message.replace('steps form a cycle: ', '').split(';')[0]!.split(' → ');
    expect(loop).toHaveLength(402);
    expect(loop[0]).toBe('s0');
    expect(loop.slice(-2)).toEqual(['s1999', 's0']);
  });
});

describe('canFeed', () => {
  it.each([
    ['number', 'string', true],
    ['json', 'string', true],
    ['boolean', 'json', true],
    ['string', 'number', false],
    ['string', 'json', false],
    ['artifact', 'string', false],
    ['string', 'artifact', false],
    ['artifact', 'artifact', true],
  ] as const)('%s into %s is %s', (source, input, expected) => {
    expect(canFeed(source, input)).toBe(expected);
  });
});

describe('parsePipeline', () => {
  it('returns the pipeline with defaults filled', () => {
    const result = parsePipeline({ name: 'p', steps: [step('a')] });
    expect(result).toEqual({
      ok: true,
      pipeline: {
        name: 'p',
        description: '',
        parameters: [],
        steps: [
          {
            id: 'a',
            name: 'a',
            kind: 'container',
            image: 'python:3.12-slim',
            command: ['python'],
            args: [],
            env: [],
            inputs: [],
            outputs: [],
            dependsOn: [],
            position: { x: 0, y: 0 },
          },
        ],
      },
    });
  });

  it('turns shape errors into invalid_field issues with paths', () => {
    const result = parsePipeline({ name: 'p', steps: [step('a'), step('b'), { id: 'c', name: 'c', image: 'x', command: 'python' }] });
    expect(result).toEqual({
      ok: false,
      issues: [{ code: 'invalid_field', stepId: 'c', field: 'steps[2].command', message: '`steps[2].command` (step `c`): Invalid input: expected array, received string' }],
    });
  });

  it('names missing fields and the root', () => {
    expect(parsePipeline({ steps: [{ id: 'a' }] })).toEqual({
      ok: false,
      issues: [
        { code: 'invalid_field', field: 'name', message: '`name` is missing; add it' },
        { code: 'invalid_field', stepId: 'a', field: 'steps[0].name', message: '`steps[0].name` (step `a`) is missing; add it' },
        { code: 'invalid_field', stepId: 'a', field: 'steps[0].image', message: '`steps[0].image` (step `a`) is missing; add it' },
        { code: 'invalid_field', stepId: 'a', field: 'steps[0].command', message: '`steps[0].command` (step `a`) is missing; add it' },
      ],
    });
    expect(parsePipeline('text')).toEqual({
      ok: false,
      issues: [{ code: 'invalid_field', field: '', message: '`pipeline`: Invalid input: expected object, received string' }],
    });
  });

  it('runs validatePipeline after the shape check', () => {
    const result = parsePipeline({ name: 'p', steps: [step('a'), step('a')] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.code)).toEqual(['duplicate_step_id']);
  });
});
