import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildStepEnv } from '../executors/process/step-env';
import { compilePipeline } from '../pipeline/compile';
import { renderArgv } from '../pipeline/placeholders';
import { pipelineSchema, type JsonValue, type Pipeline } from '../pipeline/schema';
import { validatePipeline } from '../pipeline/validate';
import { openStore } from '../store/sqlite-store';
import type { PipelineRecord, PipelineSummary, Store } from '../store/types';
import { BANKNOTE_PIPELINE_NAME, EXAMPLES_SEEDED_MARKER, buildBanknotePipeline, seedExamples } from './banknote';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const stepsDir = path.join(projectRoot, 'examples/banknote/steps');

let workDir: string;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-banknote-'));
});

afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** What one step printed and where its outputs went. */
interface StepResult {
  stepId: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/**
 * Runs the pipeline's steps in plan order with python3, binding inputs the way the engine does.
 * `compilePipeline` resolves parameter bindings to text. An artifact binding gets the path of the
 * upstream file, and a value binding gets the text the upstream step wrote, less one trailing
 * newline. Each step gets the process executor's environment and writes its outputs to
 * `<workDir>/runs/<stepId>/outputs/NAME`. Stops at the first failed step.
 */
function runPipeline(pipeline: Pipeline, parameters: Record<string, JsonValue> = {}): StepResult[] {
  const plan = compilePipeline(pipeline, parameters);
  const results: StepResult[] = [];
  const outputPaths = new Map<string, Record<string, string>>();

  for (const { step, inputs: plannedInputs } of plan.steps) {
    const inputs: Record<string, string> = {};
    for (const input of plannedInputs) {
      if (input.source.kind === 'value') {
        inputs[input.name] = input.source.value;
      } else if (input.source.kind === 'output') {
        const upstreamPath = outputPaths.get(input.source.stepId)?.[input.source.output];
        if (upstreamPath === undefined) throw new Error(`${step.id}.${input.name}: upstream output not produced`);
        inputs[input.name] = input.type === 'artifact' ? upstreamPath : fs.readFileSync(upstreamPath, 'utf8').replace(/\n$/, '');
      }
    }

    const outputs: Record<string, string> = {};
    for (const output of step.outputs) outputs[output.name] = path.join(workDir, 'runs', step.id, 'outputs', output.name);
    outputPaths.set(step.id, outputs);

    const context = { inputs, outputs, runId: 'run-test', stepId: step.id };
    const [program, ...argv] = renderArgv([...step.command, ...step.args], context);
    // Next's type declarations make NODE_ENV required in ProcessEnv, but a step's environment has none.
    const env = buildStepEnv({}, { workspace: workDir, tmp: workDir }) as NodeJS.ProcessEnv;
    const child = spawnSync(program!, argv, { cwd: workDir, env, encoding: 'utf8' });
    results.push({ stepId: step.id, exitCode: child.status, stdout: child.stdout, stderr: child.stderr, outputs });
    if (child.status !== 0) break;
  }
  return results;
}

function stepResult(results: StepResult[], stepId: string): StepResult {
  const result = results.find((candidate) => candidate.stepId === stepId);
  if (!result) throw new Error(`step ${stepId} did not run; ran: ${results.map((r) => r.stepId).join(', ')}`);
  return result;
}

function writeDataset(name: string, lines: string[]): string {
  const datasetPath = path.join(workDir, name);
  fs.writeFileSync(datasetPath, lines.join('\n') + '\n');
  return datasetPath;
}

describe('buildBanknotePipeline', () => {
  it('builds five python steps as a DAG', () => {
    const pipeline = buildBanknotePipeline(projectRoot);

    expect(pipeline.name).toBe('banknote-forgery-detection');
    expect(pipeline.steps.map((step) => step.id)).toEqual(['ingest', 'clean', 'split', 'train', 'evaluate']);
    expect(pipeline.steps.map((step) => step.position)).toEqual([
      { x: 0, y: 120 },
      { x: 320, y: 120 },
      { x: 640, y: 120 },
      { x: 960, y: 0 },
      { x: 1280, y: 120 },
    ]);
    for (const step of pipeline.steps) {
      expect(step.kind).toBe('python');
      expect(step.image).toBe('python:3.12-slim');
      expect(step.command).toEqual(['python3', '-c', fs.readFileSync(path.join(stepsDir, `${step.id}.py`), 'utf8')]);
      expect(step.name.length).toBeGreaterThan(0);
    }
    expect(pipelineSchema.parse(pipeline)).toEqual(pipeline);
    expect(validatePipeline(pipeline)).toEqual([]);
  });

  it('declares the parameters with defaults', () => {
    const pipeline = buildBanknotePipeline(projectRoot);

    expect(pipeline.parameters.map(({ name, type, default: value }) => ({ name, type, value }))).toEqual([
      { name: 'dataset', type: 'string', value: path.join(projectRoot, 'examples/banknote/banknote_authentication.csv') },
      { name: 'learning_rate', type: 'number', value: 0.1 },
      { name: 'epochs', type: 'number', value: 300 },
      { name: 'test_fraction', type: 'number', value: 0.2 },
      { name: 'split_seed', type: 'number', value: 42 },
    ]);
    for (const parameter of pipeline.parameters) expect(parameter.description).toBeTruthy();
  });

  it('binds each input and describes each port', () => {
    const pipeline = buildBanknotePipeline(projectRoot);

    const bindings = pipeline.steps.flatMap((step) =>
      step.inputs.map((input) => `${step.id}.${input.name}:${input.type} <- ${JSON.stringify(input.from)}`),
    );
    expect(bindings).toEqual([
      'ingest.dataset:string <- {"parameter":"dataset"}',
      'clean.raw:artifact <- {"step":"ingest","output":"raw"}',
      'split.data:artifact <- {"step":"clean","output":"data"}',
      'split.test_fraction:number <- {"parameter":"test_fraction"}',
      'split.seed:number <- {"parameter":"split_seed"}',
      'train.train:artifact <- {"step":"split","output":"train"}',
      'train.learning_rate:number <- {"parameter":"learning_rate"}',
      'train.epochs:number <- {"parameter":"epochs"}',
      'evaluate.model:artifact <- {"step":"train","output":"model"}',
      'evaluate.test:artifact <- {"step":"split","output":"test"}',
    ]);
    const outputs = pipeline.steps.flatMap((step) => step.outputs.map((output) => `${step.id}.${output.name}:${output.type}`));
    expect(outputs).toEqual([
      'ingest.raw:artifact',
      'clean.data:artifact',
      'clean.rows:number',
      'split.train:artifact',
      'split.test:artifact',
      'train.model:artifact',
      'evaluate.accuracy:number',
      'evaluate.metrics:artifact',
    ]);
    for (const step of pipeline.steps) {
      for (const port of [...step.inputs, ...step.outputs]) expect(port.description, `${step.id}.${port.name}`).toBeTruthy();
    }
  });

  it('throws naming a missing step script', () => {
    const exampleDir = path.join(workDir, 'examples/banknote');
    fs.mkdirSync(path.join(exampleDir, 'steps'), { recursive: true });
    fs.writeFileSync(path.join(exampleDir, 'banknote_authentication.csv'), '1,2,3,4,0\n');

    expect(() => buildBanknotePipeline(workDir)).toThrow(
      `example pipeline banknote-forgery-detection: step script not found: ${path.join(exampleDir, 'steps/ingest.py')}; ` +
        'restore examples/banknote from the repository',
    );
  });

  it('throws naming a missing data file', () => {
    expect(() => buildBanknotePipeline(workDir)).toThrow(
      `example pipeline banknote-forgery-detection: data file not found: ` +
        `${path.join(workDir, 'examples/banknote/banknote_authentication.csv')}; restore examples/banknote from the repository`,
    );
  });
});

describe('banknote steps run with python3', () => {
  it('train and evaluate reach 0.95 accuracy', () => {
    const results = runPipeline(buildBanknotePipeline(projectRoot));

    expect(results.map((result) => [result.stepId, result.exitCode, result.stderr])).toEqual([
      ['ingest', 0, ''],
      ['clean', 0, ''],
      ['split', 0, ''],
      ['train', 0, ''],
      ['evaluate', 0, ''],
    ]);
    expect(stepResult(results, 'ingest').stdout).toContain('read 1372 rows with 5 columns from');
    expect(stepResult(results, 'clean').stdout).toContain('checked 1372 rows: kept 1372, dropped 0\n');
    expect(fs.readFileSync(stepResult(results, 'clean').outputs.rows!, 'utf8')).toBe('1372');
    expect(stepResult(results, 'split').stdout).toContain('  train: 1098 rows (610 genuine, 488 forged)\n');
    expect(stepResult(results, 'split').stdout).toContain('  test:  274 rows (152 genuine, 122 forged)\n');
    expect(stepResult(results, 'train').stdout).toContain('epoch 300/300  loss ');

    const model = JSON.parse(fs.readFileSync(stepResult(results, 'train').outputs.model!, 'utf8'));
    expect(Object.keys(model).sort()).toEqual(
      ['bias', 'epochs', 'features', 'kind', 'learning_rate', 'means', 'stds', 'train_rows', 'weights'].sort(),
    );
    expect(model.weights).toHaveLength(4);
    expect(model.train_rows).toBe(1098);

    const evaluate = stepResult(results, 'evaluate');
    const accuracyText = fs.readFileSync(evaluate.outputs.accuracy!, 'utf8');
    expect(accuracyText).toMatch(/^0\.\d{4}$/);
    expect(Number(accuracyText)).toBeGreaterThanOrEqual(0.95);
    expect(evaluate.stdout).toContain(`accuracy: ${accuracyText}\n`);
    expect(evaluate.stdout).toMatch(/precision: 0\.\d{4}\nrecall: 0\.\d{4}\nf1: 0\.\d{4}\n/);
    expect(evaluate.stdout).toContain('confusion matrix (rows: actual class, columns: predicted class):\n');

    const metrics = JSON.parse(fs.readFileSync(evaluate.outputs.metrics!, 'utf8'));
    expect(metrics.accuracy.toFixed(4)).toBe(accuracyText);
    expect(metrics.test_rows).toBe(274);
    const matrix = metrics.confusion_matrix;
    expect(matrix.true_negative + matrix.false_positive).toBe(152);
    expect(matrix.true_positive + matrix.false_negative).toBe(122);
  });

  it.each([
    [0, 'train: error: learning rate must be greater than 0, got 0\n'],
    [-0.5, 'train: error: learning rate must be greater than 0, got -0.5\n'],
  ])('train rejects learning rate %s', (learningRate, message) => {
    const results = runPipeline(buildBanknotePipeline(projectRoot), { learning_rate: learningRate });

    expect(results.map((result) => result.stepId)).toEqual(['ingest', 'clean', 'split', 'train']);
    expect(stepResult(results, 'train').exitCode).toBe(1);
    expect(stepResult(results, 'train').stderr).toBe(message);
    expect(fs.existsSync(stepResult(results, 'train').outputs.model!)).toBe(false);
  });

  it('train rejects zero epochs', () => {
    const results = runPipeline(buildBanknotePipeline(projectRoot), { epochs: 0 });

    expect(stepResult(results, 'train').exitCode).toBe(1);
    expect(stepResult(results, 'train').stderr).toBe('train: error: epochs must be a whole number of at least 1, got 0\n');
  });

  it('split rejects a test fraction of 1', () => {
    const results = runPipeline(buildBanknotePipeline(projectRoot), { test_fraction: 1 });

    expect(stepResult(results, 'split').exitCode).toBe(1);
    expect(stepResult(results, 'split').stderr).toBe(
      'split: error: test fraction must be greater than 0 and less than 1, got 1\n',
    );
  });

  it('ingest names a missing dataset path', () => {
    const missingPath = path.join(workDir, 'no-such-dir', 'notes.csv');
    const results = runPipeline(buildBanknotePipeline(projectRoot), { dataset: missingPath });

    expect(results).toHaveLength(1);
    expect(results[0]!.exitCode).toBe(1);
    expect(results[0]!.stderr).toBe(
      `ingest: error: dataset file not found: ${missingPath}; set the dataset parameter to the path of an existing CSV file\n`,
    );
  });

  it('ingest rejects an empty dataset', () => {
    const datasetPath = writeDataset('empty.csv', []);
    const results = runPipeline(buildBanknotePipeline(projectRoot), { dataset: datasetPath });

    expect(results[0]!.exitCode).toBe(1);
    expect(results[0]!.stderr).toBe(`ingest: error: dataset file is empty: ${datasetPath}\n`);
  });

  it('ingest rejects a bad column count', () => {
    const datasetPath = writeDataset('four-columns.csv', ['3.6,8.6,-2.8,0', '4.5,8.1,-2.4,-1.4,0']);
    const results = runPipeline(buildBanknotePipeline(projectRoot), { dataset: datasetPath });

    expect(results[0]!.exitCode).toBe(1);
    expect(results[0]!.stderr).toBe(
      `ingest: error: data row 1 of ${datasetPath} has 4 fields, expected 5 (variance, skewness, curtosis, entropy, class); ` +
        'check that the file is the banknote authentication CSV\n',
    );
  });

  it('clean drops invalid rows with reasons', () => {
    const datasetPath = writeDataset('dirty.csv', [
      '3.6216,8.6661,-2.8073,-0.44699,0',
      '4.5459,,-2.4586,-1.4621,0',
      '-1.3971,3.3191,-1.3927,-1.9948,1',
      'abc,3.3191,-1.3927,-1.9948,1',
      '0.3292,-4.4552,4.5718,-0.9888,2',
      'nan,1,1,1,0',
      '-2.0631,-1.5147,1.219,0.44524,1.0',
    ]);
    const pipeline = buildBanknotePipeline(projectRoot);
    const results = runPipeline({ ...pipeline, steps: pipeline.steps.slice(0, 2) }, { dataset: datasetPath });

    const clean = stepResult(results, 'clean');
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toBe(
      [
        'checked 7 rows: kept 3, dropped 4',
        '  dropped 1 rows: class not 0 or 1',
        '    e.g. data row 5: 0.3292,-4.4552,4.5718,-0.9888,2',
        '  dropped 1 rows: missing value',
        '    e.g. data row 2: 4.5459,,-2.4586,-1.4621,0',
        '  dropped 2 rows: non-numeric value',
        '    e.g. data row 4: abc,3.3191,-1.3927,-1.9948,1',
        '    e.g. data row 6: nan,1,1,1,0',
        'classes: 1 genuine (0), 2 forged (1)',
        '',
      ].join('\n'),
    );
    expect(fs.readFileSync(clean.outputs.rows!, 'utf8')).toBe('3');
    expect(fs.readFileSync(clean.outputs.data!, 'utf8')).toBe(
      [
        'variance,skewness,curtosis,entropy,class',
        '3.6216,8.6661,-2.8073,-0.44699,0',
        '-1.3971,3.3191,-1.3927,-1.9948,1',
        '-2.0631,-1.5147,1.219,0.44524,1',
        '',
      ].join('\n'),
    );
  });

  it('clean fails when every row is invalid', () => {
    const datasetPath = writeDataset('all-bad.csv', ['a,b,c,d,0', '1,2,3,4,7']);
    const pipeline = buildBanknotePipeline(projectRoot);
    const results = runPipeline({ ...pipeline, steps: pipeline.steps.slice(0, 2) }, { dataset: datasetPath });

    const clean = stepResult(results, 'clean');
    expect(clean.exitCode).toBe(1);
    expect(clean.stderr).toMatch(/^clean: error: no valid rows left in .*; every row was dropped, see the reasons above\n$/);
  });
});

/**
 * Test double of the store: keeps pipelines in memory and implements only what `seedExamples`
 * calls (`dataDir`, `listPipelines`, `createPipeline`); every other member throws if called.
 */
function createFakeStore(dataDir: string): Store & { created: Pipeline[] } {
  const created: Pipeline[] = [];
  const implemented = {
    dataDir,
    created,
    listPipelines: (): PipelineSummary[] =>
      created.map((definition, index) => ({
        id: `p${index}`,
        name: definition.name,
        description: definition.description,
        version: 1,
        stepCount: definition.steps.length,
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        lastRun: null,
      })),
    createPipeline: (definition: Pipeline): PipelineRecord => {
      created.push(definition);
      return { ...implemented.listPipelines().at(-1)!, definition };
    },
  };
  return new Proxy(implemented, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target];
      throw new Error(`fake store: ${String(property)} is not implemented`);
    },
  }) as unknown as Store & { created: Pipeline[] };
}

describe('seedExamples', () => {
  it('creates the example in an empty store', () => {
    const store = createFakeStore(path.join(workDir, 'data'));

    seedExamples(store, projectRoot);

    expect(store.created.map((pipeline) => pipeline.name)).toEqual([BANKNOTE_PIPELINE_NAME]);
    expect(store.created[0]).toEqual(buildBanknotePipeline(projectRoot));
    expect(fs.existsSync(path.join(workDir, 'data', EXAMPLES_SEEDED_MARKER))).toBe(true);
  });

  it('seeds only once', () => {
    const store = createFakeStore(path.join(workDir, 'data'));

    seedExamples(store, projectRoot);
    seedExamples(store, projectRoot);

    expect(store.created).toHaveLength(1);
  });

  it('does not bring back a deleted example', () => {
    const dataDir = path.join(workDir, 'data');
    seedExamples(createFakeStore(dataDir), projectRoot);
    const storeAfterDelete = createFakeStore(dataDir);

    seedExamples(storeAfterDelete, projectRoot);

    expect(storeAfterDelete.created).toEqual([]);
  });

  it('leaves a store with pipelines alone', () => {
    const dataDir = path.join(workDir, 'data');
    const store = createFakeStore(dataDir);
    store.createPipeline(pipelineSchema.parse({ name: 'mine', steps: [] }));

    seedExamples(store, projectRoot);

    expect(store.created.map((pipeline) => pipeline.name)).toEqual(['mine']);
    expect(fs.existsSync(path.join(dataDir, EXAMPLES_SEEDED_MARKER))).toBe(true);
  });

  it('round-trips through the SQLite store', () => {
    const store = openStore(path.join(workDir, 'data'));
    try {
      seedExamples(store, projectRoot);

      const summaries = store.listPipelines();
      expect(summaries.map((summary) => [summary.name, summary.version, summary.stepCount])).toEqual([
        [BANKNOTE_PIPELINE_NAME, 1, 5],
      ]);
      expect(store.getPipeline(summaries[0]!.id)?.definition).toEqual(buildBanknotePipeline(projectRoot));
    } finally {
      store.close();
    }
  });

  it('writes no marker when files are missing', () => {
    const dataDir = path.join(workDir, 'data');
    const store = createFakeStore(dataDir);

    expect(() => seedExamples(store, workDir)).toThrow('data file not found');

    expect(store.created).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, EXAMPLES_SEEDED_MARKER))).toBe(false);
  });
});
