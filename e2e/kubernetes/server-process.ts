/**
 * A Pipedeck server reduced to its engine and kubernetes executor, run as a child process by the
 * restart test so it can be killed with SIGKILL mid-run. Usage:
 * `node --import tsx e2e/kubernetes/server-process.ts DATA_DIR KUBECONFIG PIPELINE_ID`. It submits one run of the
 * pipeline, prints `{"runId": ...}` and keeps driving it until killed.
 */
import { Engine } from '@/lib/engine/engine';
import { KubernetesExecutor } from '@/lib/executors/kubernetes/kubernetes-executor';
import { createSilentLogger } from '@/lib/logger';
import { openStore } from '@/lib/store/sqlite-store';

import { fastExecutorOptions } from './executor-fixture';

async function main(): Promise<void> {
  const [dataDir, kubeconfig, pipelineId] = process.argv.slice(2);
  if (!dataDir || !kubeconfig || !pipelineId) throw new Error('usage: server-process.ts DATA_DIR KUBECONFIG PIPELINE_ID');

  const store = openStore(dataDir);
  const executor = new KubernetesExecutor(fastExecutorOptions(kubeconfig));
  const engine = new Engine({ store, executors: [executor], logger: createSilentLogger(), defaultExecutor: 'kubernetes' });
  await engine.start();
  const run = await engine.submitRun({ pipelineId });
  process.stdout.write(`${JSON.stringify({ runId: run.id })}\n`);
  // Keeps the process alive until the test kills it.
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
