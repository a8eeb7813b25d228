import { describe, expect, it } from 'vitest';

import { pipelineSchema, type Pipeline } from '../pipeline/schema';
import { fromNativeYaml, MAX_NATIVE_YAML_BYTES, toNativeYaml } from './native';

const canonical = `apiVersion: pipedeck/v1
kind: Pipeline
name: train and evaluate
description: |-
  Prepares data, trains a model
  and evaluates it.
parameters:
  - name: epochs
    type: number
    default: 3
    description: Passes over the data
  - name: config
    type: json
    default:
      lr: 0.1
      layers:
        - 64
        - 32
steps:
  - id: prep
    name: Prepare data
    kind: shell
    image: alpine:3.20
    command:
      - sh
      - -c
      - echo "rows=3" > "$1"
      - prep
      - "{{outputs.data}}"
    env:
      - name: LANG
        value: C.UTF-8
    workingDir: /work
    outputs:
      - name: data
        type: artifact
    position:
      x: 120.5
      y: -40
  - id: train
    name: Train
    kind: python
    image: python:3.12-slim
    command:
      - python
    args:
      - train.py
      - "{{ inputs.data }}"
      - --epochs={{inputs.epochs}}
      - "123"
      - "true"
      - ""
    inputs:
      - name: data
        type: artifact
        from:
          step: prep
          output: data
      - name: epochs
        type: number
        from:
          parameter: epochs
      - name: note
        type: string
        default: ""
        optional: false
        description: Free text
      - name: seed
        type: number
        from:
          value: 7
    outputs:
      - name: model
        type: artifact
        description: Trained weights
    dependsOn:
      - prep
    position:
      x: 400
      y: 0
`;

function parsed(text: string): Pipeline {
  const result = fromNativeYaml(text);
  if (!result.ok) throw new Error(`expected a valid file, got ${JSON.stringify(result.issues)}`);
  return result.pipeline;
}

function issuesOf(text: string) {
  const result = fromNativeYaml(text);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

describe('native YAML round trip', () => {
  it('writes canonical text back unchanged', () => {
    expect(toNativeYaml(parsed(canonical))).toBe(canonical);
  });

  it('reads the fields back', () => {
    const pipeline = parsed(canonical);
    expect(pipeline.parameters[1]).toEqual({ name: 'config', type: 'json', default: { lr: 0.1, layers: [64, 32] } });
    expect(pipeline.steps[0]!.command).toEqual(['sh', '-c', 'echo "rows=3" > "$1"', 'prep', '{{outputs.data}}']);
    expect(pipeline.steps[0]!.position).toEqual({ x: 120.5, y: -40 });
    expect(pipeline.steps[1]!.args).toEqual(['train.py', '{{ inputs.data }}', '--epochs={{inputs.epochs}}', '123', 'true', '']);
    expect(pipeline.steps[1]!.inputs[2]).toEqual({ name: 'note', type: 'string', default: '', optional: false, description: 'Free text' });
  });

  it('reads back a written pipeline deep-equal', () => {
    const pipeline = pipelineSchema.parse({
      name: 'tricky: "quotes" & #hash',
      description: '',
      parameters: [{ name: 'flag', type: 'boolean', default: false }, { name: 'blob', type: 'json', default: null }, { name: 'text', type: 'string' }],
      steps: [
        {
          id: 'a',
          name: '',
          image: 'busybox',
          command: ['sh', '-c', 'line one\nline two\n\n  indented\ttab ', 'trailing\n'],
          args: ['null', '~', '- dash', 'key: value', '0x10', '1e3', 'yes', ' lead', '{{run.id}}'],
          env: [{ name: 'EMPTY', value: '' }, { name: 'MULTI', value: 'a\nb' }, { name: 'TOKEN', secret: { name: 'api-keys', key: 'token' } }],
          resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi', gpu: 1 } },
          timeoutSeconds: 600,
          security: { runAsNonRoot: true, runAsUser: 1000 },
          inputs: [{ name: 'text', type: 'string', from: { parameter: 'text' } }, { name: 'obj', type: 'json', from: { value: { k: [1, { deep: 'x' }] } } }],
          outputs: [{ name: 'out', type: 'string' }],
          position: { x: 1e-7, y: 123456789.25 },
        },
        { id: 'b', name: 'B', image: 'busybox', command: ['cat'], inputs: [{ name: 'in', type: 'string', from: { step: 'a', output: 'out' } }] },
      ],
    });

    const text = toNativeYaml(pipeline);
    const result = fromNativeYaml(text);
    expect(result).toEqual({ ok: true, pipeline, warnings: [] });
    expect(toNativeYaml(parsed(text))).toBe(text);
  });

  it('leaves out empty lists and the empty description', () => {
    const text = toNativeYaml(pipelineSchema.parse({ name: 'p', steps: [{ id: 'a', name: 'A', image: 'alpine', command: ['true'] }] }));
    expect(text).toBe(`apiVersion: pipedeck/v1
kind: Pipeline
name: p
steps:
  - id: a
    name: A
    kind: container
    image: alpine
    command:
      - "true"
    position:
      x: 0
      y: 0
`);
  });

  it('warns about fields it does not know', () => {
    const text = canonical
      .replace('name: train and evaluate', 'name: train and evaluate\nschedule: daily')
      .replace('    workingDir: /work', '    workingDir: /work\n    retry: 3');
    const result = fromNativeYaml(text);
    expect(result.ok && result.warnings).toEqual([
      'pipeline: unknown field `schedule` was ignored',
      'steps[0]: unknown field `retry` was ignored',
    ]);
  });

  it('rejects an env entry with both a value and a secret', () => {
    const text = canonical.replace('        value: C.UTF-8', '        value: C.UTF-8\n        secret: {name: s, key: k}');
    const result = fromNativeYaml(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.field).toBe('steps[0].env[0]');
  });
});

describe('fromNativeYaml rejects', () => {
  it('a billion-laughs alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const text = `apiVersion: pipedeck/v1\nkind: Pipeline\nname: bomb\nsteps: []\n${levels.join('\n')}\n`;
    expect(issuesOf(text)).toEqual([
      { code: 'invalid_yaml', message: 'the file expands YAML aliases more than 100 times; write the repeated parts out or remove the anchors' },
    ]);
  });

  it('a file over 1 MiB', () => {
    const text = `${canonical}# ${'x'.repeat(MAX_NATIVE_YAML_BYTES)}\n`;
    expect(issuesOf(text)).toEqual([
      { code: 'too_large', message: 'the file is larger than 1048576 bytes (1 MiB); split the pipeline or remove unused steps' },
    ]);
  });

  it('a file over 1 MiB in UTF-8 bytes but not in characters', () => {
    const text = `${canonical}# ${'é'.repeat(MAX_NATIVE_YAML_BYTES / 2)}\n`;
    expect(text.length).toBeLessThan(MAX_NATIVE_YAML_BYTES);
    expect(issuesOf(text).map((issue) => issue.code)).toEqual(['too_large']);
  });

  it('duplicate keys, with the line', () => {
    const text = canonical.replace('    image: alpine:3.20\n', '    image: alpine:3.20\n    image: alpine:3.19\n');
    expect(issuesOf(text)).toEqual([{ code: 'invalid_yaml', message: 'line 24, column 5: Map keys must be unique' }]);
  });

  it('a syntax error, with the line', () => {
    const text = 'apiVersion: pipedeck/v1\nkind: Pipeline\nname: p\nsteps: [\n  {id: a\n';
    expect(issuesOf(text)).toEqual([
      { code: 'invalid_yaml', message: 'line 6, column 1: Flow map in block collection must be sufficiently indented and end with a }' },
      { code: 'invalid_yaml', message: 'line 6, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ]);
  });

  it('a bad indent at a known line', () => {
    const text = 'apiVersion: pipedeck/v1\nkind: Pipeline\nname: p\nsteps:\n  - id: a\n   name: A\n';
    expect(issuesOf(text)).toEqual([{ code: 'invalid_yaml', message: 'line 6, column 1: Sequence item without - indicator' }]);
  });

  it('a file truncated inside a quoted string', () => {
    const cut = canonical.indexOf('"{{outputs.data}}"') + 5;
    expect(issuesOf(canonical.slice(0, cut))).toEqual([{ code: 'invalid_yaml', message: 'line 29, column 14: Missing closing "quote' }]);
  });

  it('a file truncated between steps, naming the missing fields', () => {
    const cut = canonical.indexOf('    image: python:3.12-slim');
    expect(issuesOf(canonical.slice(0, cut))).toEqual([
      { code: 'invalid_field', stepId: 'train', field: 'steps[1].image', message: '`steps[1].image` (step `train`) is missing; add it (line 40)' },
      { code: 'invalid_field', stepId: 'train', field: 'steps[1].command', message: '`steps[1].command` (step `train`) is missing; add it (line 40)' },
    ]);
  });

  it('an empty file and non-mapping roots', () => {
    const message = 'the file must be a YAML mapping starting with `apiVersion: pipedeck/v1` and `kind: Pipeline`';
    for (const text of ['', '# only a comment\n', '- a\n- b\n', 'just text\n', '42\n']) {
      expect(issuesOf(text)).toEqual([{ code: 'invalid_yaml', message }]);
    }
  });

  it('several documents in one file', () => {
    const text = 'apiVersion: pipedeck/v1\nkind: Pipeline\nname: p\nsteps: []\n---\nname: q\n';
    expect(issuesOf(text)).toEqual([
      { code: 'invalid_yaml', message: 'line 5, column 1: the file contains more than one YAML document; keep one pipeline per file' },
    ]);
  });

  it('a wrong or missing apiVersion and kind', () => {
    expect(issuesOf(canonical.replace('apiVersion: pipedeck/v1', 'apiVersion: argoproj.io/v1alpha1').replace('kind: Pipeline', 'kind: Workflow'))).toEqual([
      { code: 'unsupported_format', field: 'apiVersion', message: 'apiVersion is "argoproj.io/v1alpha1"; a native pipeline file needs `apiVersion: pipedeck/v1`' },
      { code: 'unsupported_format', field: 'kind', message: 'kind is "Workflow"; a native pipeline file needs `kind: Pipeline`' },
    ]);
    expect(issuesOf('name: p\nsteps: []\n')).toEqual([
      { code: 'unsupported_format', field: 'apiVersion', message: 'apiVersion is missing; a native pipeline file needs `apiVersion: pipedeck/v1`' },
      { code: 'unsupported_format', field: 'kind', message: 'kind is missing; a native pipeline file needs `kind: Pipeline`' },
    ]);
  });

  it('validation problems, with the line of the step field', () => {
    const text = canonical.replace('      - "{{ inputs.data }}"', '      - "{{ inputs.missing }}"');
    expect(issuesOf(text)).toEqual([
      {
        code: 'unknown_placeholder',
        stepId: 'train',
        field: 'args[1]',
        message:
          'step `train`: args[1]: `{{ inputs.missing }}` refers to input `missing`, which the step does not declare; add the input or fix the placeholder (line 48)',
      },
    ]);
  });
});

describe('fromNativeYaml with validate: false', () => {
  it('opens a draft with a cycle and an unbound input', () => {
    const text = canonical.replace('    dependsOn:\n      - prep\n', '').replace('    outputs:\n      - name: data\n        type: artifact\n', '    outputs:\n      - name: data\n        type: artifact\n    dependsOn:\n      - train\n');
    expect(issuesOf(text).map((issue) => issue.code)).toEqual(['cycle']);

    const draft = fromNativeYaml(text, { validate: false });
    expect(draft.ok && draft.pipeline.steps[0]!.dependsOn).toEqual(['train']);
  });

  it('still rejects shape errors', () => {
    const result = fromNativeYaml(canonical.replace('kind: shell', 'kind: bash'), { validate: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => [issue.code, issue.field])).toEqual([['invalid_field', 'steps[0].kind']]);
  });
});

describe('toNativeYaml key order', () => {
  it('writes fields in schema order whatever order they were built in', () => {
    const pipeline = pipelineSchema.parse({
      steps: [
        {
          position: { y: 2, x: 1 },
          command: ['cat'],
          image: 'alpine',
          name: 'B',
          id: 'b',
          inputs: [{ from: { output: 'out', step: 'a' }, type: 'string', name: 'in' }],
        },
        { outputs: [{ type: 'string', name: 'out' }], command: ['true'], image: 'alpine', name: 'A', id: 'a' },
      ],
      name: 'order',
    });
    expect(toNativeYaml(pipeline)).toBe(`apiVersion: pipedeck/v1
kind: Pipeline
name: order
steps:
  - id: b
    name: B
    kind: container
    image: alpine
    command:
      - cat
    inputs:
      - name: in
        type: string
        from:
          step: a
          output: out
    position:
      x: 1
      y: 2
  - id: a
    name: A
    kind: container
    image: alpine
    command:
      - "true"
    outputs:
      - name: out
        type: string
    position:
      x: 0
      y: 0
`);
  });
});
