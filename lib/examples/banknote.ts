/**
 * The flagship example pipeline: banknote forgery detection on the UCI banknote authentication
 * data, as five Python steps (ingest → clean → split → train → evaluate) that use only the
 * standard library. Each step's source lives in `examples/banknote/steps/*.py` and is inlined
 * into the step's command when the pipeline is built, so the scripts stay readable and testable.
 */
import fs from 'node:fs';
import path from 'node:path';

import { PipedeckError } from '../errors';
import { pipelineSchema, type Pipeline, type PipelineInput, type StepInput } from '../pipeline/schema';
import type { Store } from '../store/types';

export const BANKNOTE_PIPELINE_NAME = 'banknote-forgery-detection';

/** Folder of the example, relative to the project root. */
export const BANKNOTE_EXAMPLE_DIR = path.join('examples', 'banknote');

/** File in the store's data directory whose presence means the examples were seeded once. */
export const EXAMPLES_SEEDED_MARKER = 'examples-seeded';

const DATASET_FILE = 'banknote_authentication.csv';
const PYTHON_IMAGE = 'python:3.12-slim';

/** One step of the example, before its script is read. */
type BanknoteStepTemplate = Omit<StepInput, 'kind' | 'image' | 'command'> & { script: string };

/*
 * Canvas positions: ingest, clean, split and evaluate share a row, and train sits on a row above,
 * so the split → evaluate edge (the test rows) runs below train instead of behind it. Columns are
 * 320 px apart, more than the widest node (240 px in the editor), so edges have room between nodes.
 */
const STEP_TEMPLATES: BanknoteStepTemplate[] = [
  {
    id: 'ingest',
    position: { x: 0, y: 120 },
    name: 'Ingest CSV',
    script: 'ingest.py',
    inputs: [
      { name: 'dataset', type: 'string', from: { parameter: 'dataset' }, description: 'Path of the banknote CSV file.' },
    ],
    outputs: [{ name: 'raw', type: 'artifact', description: 'Rows of the CSV, checked for five columns, with a header.' }],
    args: ['--dataset', '{{inputs.dataset}}', '--raw', '{{outputs.raw}}'],
  },
  {
    id: 'clean',
    position: { x: 320, y: 120 },
    name: 'Validate and clean',
    script: 'clean.py',
    inputs: [
      { name: 'raw', type: 'artifact', from: { step: 'ingest', output: 'raw' }, description: 'Rows from the ingest step.' },
    ],
    outputs: [
      { name: 'data', type: 'artifact', description: 'Rows with four finite numbers and a class of 0 or 1.' },
      { name: 'rows', type: 'number', description: 'Number of rows kept.' },
    ],
    args: ['--raw', '{{inputs.raw}}', '--data', '{{outputs.data}}', '--rows', '{{outputs.rows}}'],
  },
  {
    id: 'split',
    position: { x: 640, y: 120 },
    name: 'Train/test split',
    script: 'split.py',
    inputs: [
      { name: 'data', type: 'artifact', from: { step: 'clean', output: 'data' }, description: 'Clean rows to split.' },
      {
        name: 'test_fraction',
        type: 'number',
        from: { parameter: 'test_fraction' },
        description: 'Share of each class put in the test set.',
      },
      { name: 'seed', type: 'number', from: { parameter: 'split_seed' }, description: 'Seed of the shuffle.' },
    ],
    outputs: [
      { name: 'train', type: 'artifact', description: 'Rows to train on.' },
      { name: 'test', type: 'artifact', description: 'Held-out rows to evaluate on.' },
    ],
    args: [
      '--data', '{{inputs.data}}',
      '--test-fraction', '{{inputs.test_fraction}}',
      '--seed', '{{inputs.seed}}',
      '--train', '{{outputs.train}}',
      '--test', '{{outputs.test}}',
    ],
  },
  {
    id: 'train',
    position: { x: 960, y: 0 },
    name: 'Train logistic regression',
    script: 'train.py',
    inputs: [
      { name: 'train', type: 'artifact', from: { step: 'split', output: 'train' }, description: 'Rows to train on.' },
      {
        name: 'learning_rate',
        type: 'number',
        from: { parameter: 'learning_rate' },
        description: 'Step size of gradient descent.',
      },
      { name: 'epochs', type: 'number', from: { parameter: 'epochs' }, description: 'Passes over the train rows.' },
    ],
    outputs: [
      { name: 'model', type: 'artifact', description: 'Model JSON: weights, bias, feature means and standard deviations.' },
    ],
    args: [
      '--train', '{{inputs.train}}',
      '--learning-rate', '{{inputs.learning_rate}}',
      '--epochs', '{{inputs.epochs}}',
      '--model', '{{outputs.model}}',
    ],
  },
  {
    id: 'evaluate',
    position: { x: 1280, y: 120 },
    name: 'Evaluate on test set',
    script: 'evaluate.py',
    inputs: [
      { name: 'model', type: 'artifact', from: { step: 'train', output: 'model' }, description: 'Model from the train step.' },
      { name: 'test', type: 'artifact', from: { step: 'split', output: 'test' }, description: 'Held-out rows.' },
    ],
    outputs: [
      { name: 'accuracy', type: 'number', description: 'Share of test rows classified correctly, to four decimals.' },
      { name: 'metrics', type: 'artifact', description: 'Metrics JSON: accuracy, precision, recall, F1, confusion matrix.' },
    ],
    args: [
      '--model', '{{inputs.model}}',
      '--test', '{{inputs.test}}',
      '--accuracy', '{{outputs.accuracy}}',
      '--metrics', '{{outputs.metrics}}',
    ],
  },
];

/**
 * Builds the example pipeline, reading each step's Python source from `examples/banknote/steps`.
 *
 * @param projectRoot - directory that contains `examples/`; the `dataset` parameter defaults to the
 *   absolute path of the CSV file under it.
 * @throws PipedeckError('internal') when a step script or the data file is missing, or when a script
 *   contains `{{`, which the placeholder renderer would try to substitute.
 */
export function buildBanknotePipeline(projectRoot: string): Pipeline {
  const exampleDir = path.resolve(projectRoot, BANKNOTE_EXAMPLE_DIR);
  const datasetPath = path.join(exampleDir, DATASET_FILE);
  if (!fs.existsSync(datasetPath)) {
    throw new PipedeckError(
      'internal',
      `example pipeline ${BANKNOTE_PIPELINE_NAME}: data file not found: ${datasetPath}; restore examples/banknote from the repository`,
    );
  }

  const steps = STEP_TEMPLATES.map(({ script, ...step }): StepInput => ({
    ...step,
    kind: 'python',
    image: PYTHON_IMAGE,
    command: ['python3', '-c', readStepScript(exampleDir, script)],
  }));

  const definition: PipelineInput = {
    name: BANKNOTE_PIPELINE_NAME,
    description:
      'Detects forged banknotes from four wavelet features of their images (UCI banknote authentication ' +
      'data, CC BY 4.0): ingest the CSV, drop invalid rows, split into train and test sets, train a ' +
      'logistic regression by gradient descent and report accuracy, precision, recall and F1. ' +
      'Plain Python 3, standard library only.',
    parameters: [
      { name: 'dataset', type: 'string', default: datasetPath, description: 'Path of the CSV file: four features and a class (0 genuine, 1 forged) per row.' },
      { name: 'learning_rate', type: 'number', default: 0.1, description: 'Step size of gradient descent, greater than 0.' },
      { name: 'epochs', type: 'number', default: 300, description: 'Number of gradient descent passes over the train rows.' },
      { name: 'test_fraction', type: 'number', default: 0.2, description: 'Share of rows held out for evaluation, between 0 and 1.' },
      { name: 'split_seed', type: 'number', default: 42, description: 'Seed of the train/test shuffle; the same seed gives the same split.' },
    ],
    steps,
  };
  return pipelineSchema.parse(definition);
}

function readStepScript(exampleDir: string, script: string): string {
  const scriptPath = path.join(exampleDir, 'steps', script);
  let source: string;
  try {
    source = fs.readFileSync(scriptPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `unreadable (${String(error)})`;
    throw new PipedeckError(
      'internal',
      `example pipeline ${BANKNOTE_PIPELINE_NAME}: step script ${reason}: ${scriptPath}; restore examples/banknote from the repository`,
    );
  }
  if (source.includes('{{')) {
    throw new PipedeckError(
      'internal',
      `example pipeline ${BANKNOTE_PIPELINE_NAME}: ${scriptPath} contains "{{", which would be read as a placeholder; rewrite that line`,
    );
  }
  return source;
}

/**
 * Creates the example pipelines in a fresh store, once per data directory.
 *
 * The first call on a data directory decides: with no pipelines it creates the examples, and
 * either way it writes the `examples-seeded` marker into `store.dataDir`. Later calls do nothing,
 * so a person who deleted an example does not get it back, and a store that already had
 * pipelines never gets examples added.
 *
 * @throws PipedeckError('internal') when the example files are missing (see `buildBanknotePipeline`);
 *   nothing is created and no marker is written then, so the next start tries again.
 */
export function seedExamples(store: Store, projectRoot: string): void {
  const markerPath = path.join(store.dataDir, EXAMPLES_SEEDED_MARKER);
  if (fs.existsSync(markerPath)) return;

  if (store.listPipelines().length === 0) {
    store.createPipeline(buildBanknotePipeline(projectRoot));
  }

  fs.mkdirSync(store.dataDir, { recursive: true });
  fs.writeFileSync(markerPath, `${new Date().toISOString()}\n`);
}
