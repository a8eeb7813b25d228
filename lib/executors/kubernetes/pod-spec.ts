/**
 * Builds the pod of one step attempt. Pure: the same spec and options always give the same pod, so
 * tests can compare whole objects.
 *
 * Security follows the "restricted" Pod Security Standard by default: non-root, no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile, and no
 * service-account token in the pod.
 */
import path from 'node:path/posix';

import type { V1Container, V1EnvVar, V1Pod, V1ResourceRequirements, V1SecurityContext, V1Volume, V1VolumeMount } from '@kubernetes/client-node';

import type { AttemptSpec } from '../types';
import {
  ARTIFACT_INPUT_DIR,
  ARTIFACT_OUTPUT_DIR,
  DEFAULT_TERMINATION_MESSAGE_PATH,
  VALUE_OUTPUT_DIR,
  attemptArtifactDir,
  parseArtifactUri,
  type RunVolume,
} from './container-paths';
import { RUN_ANNOTATION, STEP_ANNOTATION, STEP_NAME_ANNOTATION, podLabelsFor, podNameFor } from './pod-names';

/** Name of the step's container in every Pipedeck pod. */
export const STEP_CONTAINER = 'main';

export interface PodSpecOptions {
  namespace: string;
  /** The run's artifact volume; undefined when no artifact storage is configured. */
  runVolume: RunVolume | undefined;
}

/** A step that cannot become a pod on this cluster; the message names the step and the fix. */
export class PodSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodSpecError';
  }
}

/**
 * Builds the pod for an attempt.
 *
 * @throws PodSpecError when the step declares more than one value output, uses artifacts with no
 * artifact storage configured, or reads an artifact whose stored location is not on a claim.
 */
export function buildPod(spec: AttemptSpec, options: PodSpecOptions): V1Pod {
  const owner = { runId: spec.runId, stepId: spec.stepId, attempt: spec.attempt };
  const storage = buildArtifactMounts(spec, options.runVolume);

  const container: V1Container = {
    name: STEP_CONTAINER,
    image: spec.image,
    command: [...spec.argv],
    env: buildEnv(spec),
    securityContext: buildContainerSecurity(spec),
    terminationMessagePath: terminationMessagePathFor(spec),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  if (spec.workingDir) container.workingDir = spec.workingDir;
  const resources = buildResources(spec);
  if (resources) container.resources = resources;
  if (storage.mounts.length > 0) container.volumeMounts = storage.mounts;

  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podNameFor(owner),
      namespace: options.namespace,
      labels: podLabelsFor(owner),
      annotations: {
        [RUN_ANNOTATION]: spec.runId,
        [STEP_ANNOTATION]: spec.stepId,
        [STEP_NAME_ANNOTATION]: spec.stepName,
      },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      // Service links add an environment variable per Service in the namespace; steps should not depend on them.
      enableServiceLinks: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
    },
  };
  if (spec.timeoutSeconds !== undefined) pod.spec!.activeDeadlineSeconds = spec.timeoutSeconds;
  if (storage.volumes.length > 0) pod.spec!.volumes = storage.volumes;
  return pod;
}

/**
 * The file the step's single value output is written to, which the kubelet reads as the termination
 * message; Kubernetes' default path when the step has no value output.
 */
export function terminationMessagePathFor(spec: Pick<AttemptSpec, 'stepId' | 'outputs'>): string {
  const valueOutputs = spec.outputs.filter((output) => output.type !== 'artifact');
  if (valueOutputs.length > 1) {
    const names = valueOutputs.map((output) => output.name).join(', ');
    throw new PodSpecError(
      `step \`${spec.stepId}\` declares ${valueOutputs.length} value outputs (${names}), but on Kubernetes a step passes at most one value, ` +
        `through its pod's termination message; declare the others as artifacts`,
    );
  }
  const [valueOutput] = valueOutputs;
  return valueOutput ? path.join(VALUE_OUTPUT_DIR, valueOutput.name) : DEFAULT_TERMINATION_MESSAGE_PATH;
}

function buildEnv(spec: AttemptSpec): V1EnvVar[] {
  const literal = Object.entries(spec.env).map(([name, value]): V1EnvVar => ({ name, value }));
  const fromSecrets = spec.secretEnv.map(
    (variable): V1EnvVar => ({ name: variable.name, valueFrom: { secretKeyRef: { name: variable.secret.name, key: variable.secret.key } } }),
  );
  return [...literal, ...fromSecrets];
}

/**
 * Non-root unless the step says otherwise. `runAsUser: 0` asks for root, so it turns the non-root
 * check off unless `runAsNonRoot` is set explicitly.
 */
function buildContainerSecurity(spec: AttemptSpec): V1SecurityContext {
  const security = spec.security ?? {};
  const runAsNonRoot = security.runAsNonRoot ?? security.runAsUser !== 0;
  const context: V1SecurityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  if (security.runAsUser !== undefined) context.runAsUser = security.runAsUser;
  return context;
}

function buildResources(spec: AttemptSpec): V1ResourceRequirements | undefined {
  const { requests, limits } = spec.resources ?? {};
  const result: V1ResourceRequirements = {};

  const requested: Record<string, string> = {};
  if (requests?.cpu) requested.cpu = requests.cpu;
  if (requests?.memory) requested.memory = requests.memory;
  if (Object.keys(requested).length > 0) result.requests = requested;

  const limited: Record<string, string> = {};
  if (limits?.cpu) limited.cpu = limits.cpu;
  if (limits?.memory) limited.memory = limits.memory;
  if (limits?.gpu) limited['nvidia.com/gpu'] = String(limits.gpu);
  if (Object.keys(limited).length > 0) result.limits = limited;

  return result.requests || result.limits ? result : undefined;
}

function buildArtifactMounts(spec: AttemptSpec, runVolume: RunVolume | undefined): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const hasArtifactOutputs = spec.outputs.some((output) => output.type === 'artifact');
  const inputs = Object.entries(spec.inputArtifacts);
  if (!hasArtifactOutputs && inputs.length === 0) return { volumes: [], mounts: [] };

  if (!runVolume) {
    throw new PodSpecError(
      `step \`${spec.stepId}\` passes artifacts, but the kubernetes executor has no artifact storage; ` +
        'set PIPEDECK_K8S_STORAGE_CLASS (a volume claim per run) or PIPEDECK_K8S_ARTIFACT_CLAIM (an existing claim)',
    );
  }

  const volumeNames = new Map<string, string>();
  const volumeFor = (claimName: string): string => {
    let name = volumeNames.get(claimName);
    if (!name) {
      name = `artifacts-${volumeNames.size}`;
      volumeNames.set(claimName, name);
    }
    return name;
  };

  const mounts: V1VolumeMount[] = [];
  if (hasArtifactOutputs) {
    const subPath = attemptArtifactDir(runVolume, spec.stepId, spec.attempt);
    mounts.push({ name: volumeFor(runVolume.claimName), mountPath: ARTIFACT_OUTPUT_DIR, subPath });
  }
  for (const [inputName, uri] of inputs) {
    const location = parseArtifactUri(uri);
    if (!location) {
      throw new PodSpecError(
        `step \`${spec.stepId}\`: artifact input \`${inputName}\` is stored at ${JSON.stringify(uri)}, which is not on a Kubernetes volume claim; rerun the upstream step on the kubernetes executor`,
      );
    }
    mounts.push({
      name: volumeFor(location.claimName),
      mountPath: path.join(ARTIFACT_INPUT_DIR, inputName),
      subPath: path.dirname(location.path),
      readOnly: true,
    });
  }

  const volumes = [...volumeNames].map(([claimName, name]): V1Volume => ({ name, persistentVolumeClaim: { claimName } }));
  return { volumes, mounts };
}
