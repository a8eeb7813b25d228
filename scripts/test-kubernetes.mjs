#!/usr/bin/env node
/**
 * Runs the kubernetes executor's tests against the Kubernetes API stand-in (`npm run
 * test:kubernetes`), then prints two summary lines:
 *
 *   fault matrix: P/N passed      tests inside a `fault matrix` describe block
 *   k8s calls per step: X         API calls of a 50-step run, log streams left out
 *
 * Extra arguments go to vitest, e.g. a file filter. Vitest runs with an argv array (no shell) and
 * its exit code becomes this script's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-test-kubernetes-'));
const resultsFile = path.join(workDir, 'results.json');
const callsFile = path.join(workDir, 'calls.json');

const vitest = path.resolve('node_modules', 'vitest', 'vitest.mjs');
const args = [vitest, 'run', '--config', 'vitest.kubernetes.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, PIPEDECK_K8S_CALLS_REPORT: callsFile } });

const exitCode = await new Promise((resolve) => {
  child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

const matrix = readFaultMatrix(resultsFile);
console.log(matrix ? `fault matrix: ${matrix.passed}/${matrix.total} passed` : 'fault matrix: no results (vitest wrote no report)');
const calls = readJson(callsFile);
console.log(calls ? `k8s calls per step: ${calls.perStep} (${describeCounts(calls)})` : 'k8s calls per step: not measured (the 50-step test did not run to its end)');

fs.rmSync(workDir, { recursive: true, force: true });
process.exit(exitCode);

/** Counts the tests under a `fault matrix` describe block in vitest's JSON report. */
function readFaultMatrix(file) {
  const report = readJson(file);
  if (!report) return undefined;

  const tests = report.testResults.flatMap((result) => result.assertionResults).filter((test) => test.ancestorTitles.includes('fault matrix'));
  return { passed: tests.filter((test) => test.status === 'passed').length, total: tests.length };
}

function describeCounts(calls) {
  const counts = Object.entries(calls.counts)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return `${calls.steps} steps: ${counts}; log streams are not counted`;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
