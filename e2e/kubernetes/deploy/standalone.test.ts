/**
 * Runs the Next.js standalone server the way the container image does, from a copy of the
 * standalone tree laid out like /app in the Dockerfile, with nothing from the repository around it:
 *
 * - on the process executor, where it runs the banknote example (its supervisor script and example
 *   files must have been traced into the tree);
 * - in-cluster, reading a service-account directory that points at the Kubernetes API stand-in over
 *   TLS, where GET /api/cluster reports the cluster and a run on the kubernetes executor succeeds.
 *
 * The standalone build comes from PIPEDECK_STANDALONE_DIST_DIR when set (the distDir of a build made
 * with PIPEDECK_STANDALONE=1). Otherwise the test builds `.next-standalone` itself when it is missing
 * or older than the sources, which takes a minute or two.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

import { RUN_ANNOTATION } from '../../../lib/executors/kubernetes/pod-names';
import { startKubernetesStandin, type KubernetesStandin } from '../standin';


const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const DEFAULT_DIST_DIR = path.join(REPO_ROOT, '.next-standalone');
/** Sources whose change makes a standalone build stale. */
const BUILD_INPUTS = ['app', 'components', 'lib', 'examples', 'proxy.ts', 'instrumentation.ts', 'next.config.js', 'package-lock.json'];
const RUN_TIMEOUT_MS = 180_000;
const SERVER_START_TIMEOUT_MS = 60_000;

interface RunningServer {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

interface StepRecord {
  stepId: string;
  status: string;
  reason: string | null;
  outputs: Record<string, { type: 'value'; value: string } | { type: 'artifact'; path: string; bytes: number }>;
}

interface RunRecord {
  id: string;
  status: string;
  executor: string;
  message: string | null;
  steps: StepRecord[];
}

function newestModification(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestModification(path.join(target, entry)));
  return newest;
}

/** Returns the distDir of a standalone build, building `.next-standalone` first when it is missing or stale. */
function standaloneDistDir(): string {
  const given = process.env.PIPEDECK_STANDALONE_DIST_DIR;
  if (given) return path.resolve(REPO_ROOT, given);

  const serverFile = path.join(DEFAULT_DIST_DIR, 'standalone', 'server.js');
  const builtAt = fs.statSync(serverFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changedAt = Math.max(...BUILD_INPUTS.map((input) => newestModification(path.join(REPO_ROOT, input))));
  if (builtAt > changedAt) return DEFAULT_DIST_DIR;

  // `next build` adds `<distDir>/types/**/*.ts` to tsconfig.json's include list when it is missing.
  // A test must not leave the checkout changed, so the file is put back as it was.
  const tsconfigPath = path.join(REPO_ROOT, 'tsconfig.json');
  const tsconfigBefore = fs.readFileSync(tsconfigPath, 'utf8');
  const nextBin = path.join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      PIPEDECK_STANDALONE: '1',
      PIPEDECK_NEXT_DIST_DIR: path.basename(DEFAULT_DIST_DIR),
      // `npm run typecheck` checks types; this build only has to produce the server.
      PIPEDECK_BUILD_SKIP_TYPECHECK: '1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  if (fs.readFileSync(tsconfigPath, 'utf8') !== tsconfigBefore) fs.writeFileSync(tsconfigPath, tsconfigBefore);
  if (build.status !== 0) throw new Error(`standalone build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
  return DEFAULT_DIST_DIR;
}

/**
 * Copies a standalone build into `appDir` the way the Dockerfile's runtime stage does: the traced
 * tree, the static assets and the start wrapper with the start checks it imports.
 */
function layOutImage(distDir: string, appDir: string): void {
  fs.cpSync(path.join(distDir, 'standalone'), appDir, { recursive: true, verbatimSymlinks: true });
  fs.cpSync(path.join(distDir, 'static'), path.join(appDir, path.basename(distDir), 'static'), { recursive: true });
  fs.mkdirSync(path.join(appDir, 'scripts'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'scripts', 'start.mjs'), path.join(appDir, 'scripts', 'start.mjs'));
  fs.copyFileSync(path.join(REPO_ROOT, 'deploy', 'start-standalone.mjs'), path.join(appDir, 'start-standalone.mjs'));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** Builds an environment with nothing from the test runner's, so no kubeconfig or setting leaks in. */
function isolatedEnv(homeDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: homeDir,
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    PIPEDECK_LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function startServer(appDir: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['start-standalone.mjs'], {
    cwd: appDir,
    env: { ...env, HOSTNAME: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`standalone server exited with code ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then((response) => response.ok, () => false);
    if (healthy) return { baseUrl, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`standalone server did not answer /api/health within ${SERVER_START_TIMEOUT_MS} ms:\n${output}`);
}

async function getJson<T>(server: RunningServer, urlPath: string): Promise<T> {
  const response = await fetch(`${server.baseUrl}${urlPath}`);
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`GET ${urlPath} returned ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function postJson<T>(server: RunningServer, urlPath: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.baseUrl}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`POST ${urlPath} returned ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

async function waitForRunEnd(server: RunningServer, runId: string): Promise<RunRecord> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const run = await getJson<RunRecord>(server, `/api/runs/${runId}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${RUN_TIMEOUT_MS} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function runBanknote(server: RunningServer, executor: string): Promise<RunRecord> {
  const { pipelines } = await getJson<{ pipelines: { id: string; name: string }[] }>(server, '/api/pipelines');
  const banknote = pipelines.find((pipeline) => pipeline.name === 'banknote-forgery-detection');
  if (!banknote) throw new Error(`the banknote example was not created:\n${server.output()}`);

  const { id } = await postJson<{ id: string }>(server, '/api/runs', { pipelineId: banknote.id, executor });
  return waitForRunEnd(server, id);
}

async function waitForStep(server: RunningServer, runId: string, stepId: string, status: string): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const run = await getJson<RunRecord>(server, `/api/runs/${runId}`);
    const step = run.steps.find((candidate) => candidate.stepId === stepId);
    if (step?.status === status) return;
    if (!['queued', 'running'].includes(run.status)) throw new Error(`run ${runId} ended ${run.status} before step ${stepId} was ${status}`);
    if (Date.now() > deadline) throw new Error(`step ${stepId} of run ${runId} not ${status} after ${RUN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Lists the stand-in's call kinds (`<resource>.<verb>`) that the rules of deploy/role.yaml allow. */
function roleGrants(): string[] {
  const role = parseDocument(fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'role.yaml'), 'utf8')).toJS() as {
    rules: { resources: string[]; verbs: string[] }[];
  };
  return role.rules.flatMap((rule) =>
    rule.resources.flatMap((resource) =>
      // The stand-in names a pod log read `pods.log`; RBAC calls it `get` on the `pods/log` subresource.
      resource === 'pods/log' ? ['pods.log'] : rule.verbs.map((verb) => `${resource}.${verb}`),
    ),
  );
}

function expectBanknoteSucceeded(run: RunRecord): void {
  expect(run.message).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(run.steps.map((step) => [step.stepId, step.status])).toEqual([
    ['ingest', 'succeeded'],
    ['clean', 'succeeded'],
    ['split', 'succeeded'],
    ['train', 'succeeded'],
    ['evaluate', 'succeeded'],
  ]);

  const accuracy = run.steps.find((step) => step.stepId === 'evaluate')?.outputs.accuracy;
  expect(accuracy?.type).toBe('value');
  expect(Number(accuracy?.type === 'value' ? accuracy.value : Number.NaN)).toBeGreaterThan(0.9);
}

let workDir: string;
let appDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-standalone-'));
  appDir = path.join(workDir, 'app');
  layOutImage(standaloneDistDir(), appDir);
}, 600_000);

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('standalone server tree', () => {
  it('contains the files read by path', () => {
    expect(fs.existsSync(path.join(appDir, 'server.js'))).toBe(true);
    expect(fs.existsSync(path.join(appDir, 'lib', 'executors', 'process', 'supervisor.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(appDir, 'examples', 'banknote', 'banknote_authentication.csv'))).toBe(true);
    for (const script of ['ingest', 'clean', 'split', 'train', 'evaluate']) {
      expect(fs.existsSync(path.join(appDir, 'examples', 'banknote', 'steps', `${script}.py`)), script).toBe(true);
    }
  });

  it('rejects 0.0.0.0 without a token', () => {
    const result = spawnSync(process.execPath, ['start-standalone.mjs'], {
      cwd: appDir,
      env: isolatedEnv(workDir, { HOSTNAME: '0.0.0.0', PORT: '3000' }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pipedeck: refusing to listen on 0.0.0.0 without PIPEDECK_TOKEN');
  });
});

describe('standalone server on the process executor', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const homeDir = fs.mkdtempSync(path.join(workDir, 'home-'));
    server = await startServer(
      appDir,
      isolatedEnv(homeDir, {
        PIPEDECK_DATA_DIR: path.join(workDir, 'process-data'),
        PIPEDECK_K8S_SERVICEACCOUNT_DIR: path.join(workDir, 'no-service-account'),
      }),
    );
  }, SERVER_START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('reports health and no cluster', async () => {
    const health = await getJson<{ status: string; executors: { name: string; available: boolean }[] }>(server, '/api/health');
    expect(health.status).toBe('ok');
    expect(health.executors.find((executor) => executor.name === 'process')?.available).toBe(true);

    const cluster = await getJson<{ source: string; reachable: boolean }>(server, '/api/cluster');
    expect(cluster.source).toBe('none');
    expect(cluster.reachable).toBe(false);
  });

  it('runs the banknote example', async () => {
    const run = await runBanknote(server, 'process');
    expectBanknoteSucceeded(run);
    expect(run.executor).toBe('process');
  }, RUN_TIMEOUT_MS + 10_000);
});

describe('standalone server in a cluster', () => {
  let standin: KubernetesStandin;
  let server: RunningServer;

  beforeAll(async () => {
    standin = await startKubernetesStandin({ tls: true, namespace: 'pipedeck' });
    const serviceAccount = standin.writeServiceAccountFiles(path.join(workDir, 'pod-root'));
    const homeDir = fs.mkdtempSync(path.join(workDir, 'home-'));
    server = await startServer(
      appDir,
      isolatedEnv(homeDir, {
        ...serviceAccount.env,
        PIPEDECK_K8S_SERVICEACCOUNT_DIR: serviceAccount.directory,
        PIPEDECK_EXECUTOR: 'kubernetes',
        PIPEDECK_DATA_DIR: path.join(workDir, 'cluster-data'),
        // The stand-in makes a directory for each claim, whatever its storage class.
        PIPEDECK_K8S_STORAGE_CLASS: 'standard',
      }),
    );
  }, SERVER_START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await server?.stop();
    await standin?.stop();
  });

  it('reports the in-cluster configuration', async () => {
    const cluster = await getJson<Record<string, unknown>>(server, '/api/cluster');
    expect(cluster).toEqual({
      source: 'in-cluster',
      context: 'in-cluster',
      server: standin.url,
      namespace: 'pipedeck',
      reachable: true,
      message: null,
    });

    const { executors } = await getJson<{ executors: { name: string; available: boolean }[] }>(server, '/api/executors');
    expect(executors.find((executor) => executor.name === 'kubernetes')?.available).toBe(true);
  });

  it('runs the banknote example in pods', async () => {
    const run = await runBanknote(server, 'kubernetes');
    expectBanknoteSucceeded(run);
    expect(run.executor).toBe('kubernetes');

    expect(standin.createdPodNames()).toHaveLength(5);
    expect(standin.calls.all().filter((call) => call.status === 401)).toEqual([]);
  }, RUN_TIMEOUT_MS + 10_000);

  it('cancels a run by deleting its pods', async () => {
    const { pipelines } = await getJson<{ pipelines: { id: string; name: string }[] }>(server, '/api/pipelines');
    const banknote = pipelines.find((pipeline) => pipeline.name === 'banknote-forgery-detection');
    const { id } = await postJson<{ id: string }>(server, '/api/runs', {
      pipelineId: banknote?.id,
      executor: 'kubernetes',
      // Enough epochs that the train step is still running when the cancel arrives.
      parameters: { epochs: 1_000_000 },
    });
    await waitForStep(server, id, 'train', 'running');

    await postJson(server, `/api/runs/${id}/cancel`, {});
    const run = await waitForRunEnd(server, id);

    expect(run.status).toBe('cancelled');
    expect(run.steps.find((step) => step.stepId === 'train')?.status).toBe('cancelled');
    expect(standin.pods().filter((pod) => pod.metadata.annotations?.[RUN_ANNOTATION] === id)).toEqual([]);
  }, RUN_TIMEOUT_MS + 10_000);

  it('needs only the API calls the Role grants', () => {
    const granted = roleGrants();
    const made = new Set(
      standin.calls
        .all()
        .map((call) => call.kind)
        .filter((kind) => kind !== 'discovery'),
    );
    for (const kind of made) expect(granted, `${kind} is not granted by deploy/role.yaml`).toContain(kind);
    expect([...made].sort()).toEqual(expect.arrayContaining(['pods.create', 'pods.watch', 'pods.log']));
  });
});
