/**
 * The process-wide engine, and the startup that opens the store, seeds the examples and starts it.
 *
 * Next.js may load route handlers, server actions and `instrumentation.ts` as separate module
 * instances in one process, so module-level variables would give each its own engine. The engine
 * lives on `globalThis` under a registered symbol instead (as the store does), and every instance
 * shares it.
 */
import 'server-only';

import { Engine } from '../engine/engine';
import { seedExamples } from '../examples/banknote';
import type { ExecutorName } from '../engine/types';
import type { Executor } from '../executors/types';
import { loadClusterConfig } from '../executors/kubernetes/client';
import { KubernetesExecutor } from '../executors/kubernetes/kubernetes-executor';
import { ProcessExecutor } from '../executors/process/process-executor';
import type { Logger } from '../logger';
import { getConfig } from './config';
import { lockDataDir, unlockDataDir } from './data-dir-lock';
import { getLogger } from './server-logger';
import { closeStore, getStore } from './store-singleton';

export { getLogger, getStore };

interface PipedeckState {
  engine?: Engine;
  /** Settles once the store is open, the examples seeded and the engine started. */
  starting?: Promise<Engine>;
  /** Kept so shutdown can stop its pod watch. */
  kubernetes?: KubernetesExecutor;
}

const STATE_KEY = Symbol.for('pipedeck.server-state');

function state(): PipedeckState {
  const holder = globalThis as { [STATE_KEY]?: PipedeckState };
  holder[STATE_KEY] ??= {};
  return holder[STATE_KEY];
}

function buildExecutors(logger: Logger, defaultExecutor: ExecutorName): Executor[] {
  // NOTE: the docker executor is added here when it lands.
  const executors: Executor[] = [new ProcessExecutor({ logger })];
  const kubernetes = buildKubernetesExecutor(logger, defaultExecutor);
  if (kubernetes) executors.push(kubernetes);
  return executors;
}

/**
 * Builds the kubernetes executor when a cluster is configured (a kubeconfig or an in-cluster service
 * account) or PIPEDECK_EXECUTOR names it. Without a cluster it then reports why it is unavailable.
 */
function buildKubernetesExecutor(logger: Logger, defaultExecutor: ExecutorName): KubernetesExecutor | undefined {
  let configured = defaultExecutor === 'kubernetes';
  try {
    configured ||= loadClusterConfig().source !== 'none';
  } catch {
    // An unreadable kubeconfig is still a configured cluster; the executor reports the problem.
    configured = true;
  }
  if (!configured) return undefined;

  try {
    const executor = new KubernetesExecutor({ logger });
    state().kubernetes = executor;
    return executor;
  } catch (error) {
    logger.error({ err: error }, 'the kubernetes executor is not available: its configuration is invalid');
    return undefined;
  }
}

async function start(): Promise<Engine> {
  const config = getConfig();
  const logger = getLogger();
  lockDataDir(config.dataDir);
  const store = getStore();

  try {
    seedExamples(store, process.cwd());
  } catch (error) {
    // A missing example must not keep the server down: people can still build their own pipelines.
    logger.warn({ err: error, dataDir: config.dataDir }, 'example pipelines were not created');
  }

  const executors = buildExecutors(logger, config.executor);
  if (!executors.some((executor) => executor.name === config.executor)) {
    logger.warn(
      { executor: config.executor, available: executors.map((executor) => executor.name) },
      'PIPEDECK_EXECUTOR names an executor this build does not include; runs must name an executor',
    );
  }

  const engine = new Engine({ store, executors, logger, defaultExecutor: config.executor });
  await engine.start();
  state().engine = engine;
  logger.info({ dataDir: config.dataDir, executor: config.executor }, 'pipedeck started');
  return engine;
}

/**
 * Opens the store, creates the example pipelines on first start and starts the engine (which
 * recovers runs left active by an earlier process). Idempotent: concurrent and later calls share
 * one startup. A failed startup is forgotten so the next call tries again.
 */
export function startPipedeck(): Promise<Engine> {
  const current = state();
  if (!current.starting) {
    current.starting = start().catch((error: unknown) => {
      state().starting = undefined;
      getLogger().error({ err: error }, 'pipedeck failed to start');
      throw error;
    });
  }
  return current.starting;
}

/** Returns the started engine, starting Pipedeck first if `instrumentation.ts` has not. */
export function getEngine(): Promise<Engine> {
  const engine = state().engine;
  return engine ? Promise.resolve(engine) : startPipedeck();
}

/**
 * Stops the engine and closes the store, then clears both singletons so the next call opens them
 * again. Tests call it between files; a server calls it on shutdown.
 */
export async function stopPipedeck(): Promise<void> {
  const current = state();
  const starting = current.starting;
  current.starting = undefined;

  const engine = current.engine ?? (starting ? await starting.catch(() => undefined) : undefined);
  await engine?.stop();
  current.engine = undefined;
  current.kubernetes?.close();
  current.kubernetes = undefined;
  closeStore();
  unlockDataDir(getConfig().dataDir);
}
