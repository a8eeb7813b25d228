/**
 * Small pipelines for the editor's unit tests, built through the schema so defaults are filled in
 * exactly as for a pipeline loaded from the server.
 */
import { pipelineSchema, type Pipeline, type StepInput } from '@/lib/pipeline/schema';

/** Parses a pipeline named `demo` with the given steps and parameters. */
export function buildPipeline(steps: StepInput[], parameters: Pipeline['parameters'] = []): Pipeline {
  return pipelineSchema.parse({ name: 'demo', parameters, steps });
}

/**
 * `fetch` (output `data`: artifact) feeds `train` (input `data`), which feeds `report` (input
 * `model`); `report` also waits for `fetch` through dependsOn.
 */
export function fetchTrainReport(): Pipeline {
  return buildPipeline(
    [
      { id: 'fetch', name: 'Fetch', image: 'alpine:3.20', command: ['wget'], outputs: [{ name: 'data', type: 'artifact' }] },
      {
        id: 'train',
        name: 'Train',
        image: 'python:3.12-slim',
        command: ['python3', 'train.py', '{{inputs.data}}', '{{outputs.model}}'],
        inputs: [{ name: 'data', type: 'artifact', from: { step: 'fetch', output: 'data' } }],
        outputs: [{ name: 'model', type: 'artifact' }],
      },
      {
        id: 'report',
        name: 'Report',
        image: 'alpine:3.20',
        command: ['cat', '{{inputs.model}}'],
        inputs: [{ name: 'model', type: 'artifact', from: { step: 'train', output: 'model' } }],
        dependsOn: ['fetch'],
      },
    ],
    [{ name: 'epochs', type: 'number', default: 3 }],
  );
}
