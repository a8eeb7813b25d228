/**
 * Benchmarks of Pipedeck's hot paths, each reported as a ratio against a baseline measured in the
 * same run on the same data, so the numbers compare across machines of different speed.
 *
 *   npx tsx bench/run.ts            prints the table
 *   npx tsx bench/run.ts --write    also writes docs/benchmarks.md
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

import { compilePipeline } from '../lib/pipeline/compile';
import { pipelineSchema, type Pipeline } from '../lib/pipeline/schema';
import { validatePipeline } from '../lib/pipeline/validate';
import { fromNativeYaml, toNativeYaml } from '../lib/formats/native';
import { openStore } from '../lib/store/sqlite-store';

interface Result {
  name: string;
  baseline: string;
  medianMs: number;
  baselineMs: number;
}

/** Median wall time of `runs` calls after `warmup` unmeasured ones. */
function measure(fn: () => unknown, runs = 25, warmup = 10): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A pipeline of `count` steps in layers of `width`; each step reads one output of a step in the layer before. */
function layeredPipeline(count: number, width: number): Pipeline {
  const steps = Array.from({ length: count }, (_, index) => {
    const layer = Math.floor(index / width);
    const upstream = layer === 0 ? undefined : `s${(layer - 1) * width + (index % width)}`;
    return {
      id: `s${index}`,
      name: `step ${index}`,
      image: 'busybox:1.36',
      command: ['sh', '-c', 'echo "$1" > "$2"', 'sh', upstream ? '{{inputs.in}}' : 'seed', '{{outputs.out}}'],
      inputs: upstream ? [{ name: 'in', type: 'string' as const, from: { step: upstream, output: 'out' } }] : [],
      outputs: [{ name: 'out', type: 'string' as const }],
      position: { x: layer * 300, y: (index % width) * 120 },
    };
  });
  return pipelineSchema.parse({ name: `bench-${count}`, steps });
}

function benchPipelines(results: Result[]): void {
  for (const [count, width] of [
    [200, 10],
    [2000, 40],
  ] as const) {
    const pipeline = layeredPipeline(count, width);
    const text = JSON.stringify(pipeline);
    // Baseline: a JSON round trip of the same pipeline, the least any consumer of it pays.
    const baselineMs = measure(() => JSON.parse(text));

    results.push({ name: `validate ${count} steps`, baseline: 'JSON.parse of it', medianMs: measure(() => validatePipeline(pipeline)), baselineMs });
    results.push({ name: `compile ${count} steps`, baseline: 'JSON.parse of it', medianMs: measure(() => compilePipeline(pipeline, {})), baselineMs });

    // Baseline for the file format: the yaml package's plain parse of the same text.
    const yamlText = toNativeYaml(pipeline);
    results.push({
      name: `native YAML read ${count} steps`,
      baseline: 'yaml.parse of it',
      medianMs: measure(() => fromNativeYaml(yamlText), 5, 1),
      baselineMs: measure(() => parseYaml(yamlText), 5, 1),
    });
  }
}

function benchRunHistory(results: Result[]): void {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-bench-'));
  const store = openStore(dataDir);
  try {
    const pipeline = layeredPipeline(5, 5);
    const pipelineId = store.createPipeline(pipeline).id;
    for (let i = 0; i < 10_000; i++) {
      store.createRun({ pipelineId: i % 2 === 0 ? pipelineId : 'other', pipelineVersion: 1, pipeline, parameters: {}, executor: 'process' });
    }

    // Baseline: reading the first page of rows with no filter or cursor logic.
    const firstPage = store.listRuns({ limit: 50 });
    const baselineMs = measure(() => store.listRuns({ limit: 50 }), 50, 5);
    let cursor = firstPage.nextCursor!;
    for (let i = 0; i < 150; i++) cursor = store.listRuns({ limit: 50, cursor }).nextCursor!;

    results.push({
      name: 'run history page 151 of 10,000 runs, filtered',
      baseline: 'first page, unfiltered',
      medianMs: measure(() => store.listRuns({ limit: 50, pipelineId, cursor }), 50, 5),
      baselineMs,
    });
  } finally {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function formatTable(results: Result[]): string {
  const rows = results.map(
    (result) =>
      `| ${result.name} | ${result.medianMs.toFixed(2)} | ${result.baseline} | ${result.baselineMs.toFixed(2)} | ${(result.medianMs / result.baselineMs).toFixed(1)}× |`,
  );
  return ['| benchmark | median ms | baseline | baseline ms | ratio |', '| --- | ---: | --- | ---: | ---: |', ...rows].join('\n');
}

const results: Result[] = [];
benchPipelines(results);
benchRunHistory(results);
const table = formatTable(results);
process.stdout.write(`${table}\n`);

if (process.argv.includes('--write')) {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const page = [
    '# Benchmarks',
    '',
    'Written by `npx tsx bench/run.ts --write`. Each benchmark is the median of repeated calls, next to',
    'a baseline measured in the same run on the same data; compare ratios, not milliseconds, across',
    'machines. Pipelines are layered DAGs where each step reads one output of the layer before.',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    table,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), page);
}
