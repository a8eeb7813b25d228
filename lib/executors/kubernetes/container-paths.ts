/**
 * Where a step finds its inputs and writes its outputs inside the pod, and where artifacts live on
 * the run's volume.
 *
 * - A value output is a file at `/pipedeck/outputs/NAME`. That file is the container's
 *   `terminationMessagePath`, so the kubelet reads it when the container ends and the value reaches
 *   Pipedeck in the pod status: no shell, sidecar or helper image is needed. A container has one
 *   termination message, so a step may declare at most one value output here.
 * - An artifact output is written under `/pipedeck/artifacts/out/`, which is the directory
 *   `<base>/<step>/<attempt>` of the run's volume. An artifact input is that directory of the
 *   upstream attempt, mounted read-only at `/pipedeck/artifacts/in/INPUT/`.
 *
 * Stored artifact outputs are URIs `pvc://CLAIM/PATH`, PATH being relative to the claim's root.
 */
import path from 'node:path/posix';

import type { StepPaths } from '../types';
import { runClaimNameFor } from './pod-names';
import type { ArtifactStorage } from './settings';

export const VALUE_OUTPUT_DIR = '/pipedeck/outputs';
export const ARTIFACT_OUTPUT_DIR = '/pipedeck/artifacts/out';
export const ARTIFACT_INPUT_DIR = '/pipedeck/artifacts/in';
/** The termination message file when the step has no value output; Kubernetes' default. */
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

const ARTIFACT_URI_PATTERN = /^pvc:\/\/([a-z0-9][-a-z0-9.]*)\/(.+)$/;

/** The claim that holds a run's artifacts and the directory of the run inside it. */
export interface RunVolume {
  claimName: string;
  /** Directory of the run relative to the claim's root; '' for a claim of its own. */
  basePath: string;
}

/** An artifact's place on a claim. */
export interface ArtifactLocation {
  claimName: string;
  /** Path relative to the claim's root. */
  path: string;
}

/** Returns the run's volume, or undefined when no artifact storage is configured. */
export function runVolumeFor(storage: ArtifactStorage, runId: string): RunVolume | undefined {
  if (storage.kind === 'per-run-claim') return { claimName: runClaimNameFor(runId), basePath: '' };
  if (storage.kind === 'shared-claim') return { claimName: storage.claimName, basePath: path.join('pipedeck', 'runs', runId) };
  return undefined;
}

/** The directory of one attempt's artifact outputs, relative to the claim's root. */
export function attemptArtifactDir(volume: RunVolume, stepId: string, attempt: number): string {
  return path.join(volume.basePath, stepId, String(attempt));
}

export function artifactUri(location: ArtifactLocation): string {
  return `pvc://${location.claimName}/${location.path}`;
}

/** Parses a stored artifact URI; returns undefined for anything else (e.g. a host path). */
export function parseArtifactUri(uri: string): ArtifactLocation | undefined {
  const match = ARTIFACT_URI_PATTERN.exec(uri);
  if (!match) return undefined;

  const normalized = path.normalize(match[2]!);
  // A path that climbs out of the claim's root is not one Pipedeck wrote.
  if (normalized.startsWith('..') || path.isAbsolute(normalized)) return undefined;
  return { claimName: match[1]!, path: normalized };
}

/**
 * Returns the paths `{{outputs.NAME}}` and artifact `{{inputs.NAME}}` render to inside the pod. An
 * input artifact whose stored location cannot be parsed keeps its stored text, and starting the
 * step then fails with a message naming it.
 */
export function containerStepPaths(outputs: { name: string; type?: string }[], inputArtifacts: Record<string, string>): StepPaths {
  const outputPaths: Record<string, string> = {};
  for (const output of outputs) {
    const directory = output.type === 'artifact' ? ARTIFACT_OUTPUT_DIR : VALUE_OUTPUT_DIR;
    outputPaths[output.name] = path.join(directory, output.name);
  }

  const inputPaths: Record<string, string> = {};
  for (const [name, uri] of Object.entries(inputArtifacts)) {
    const location = parseArtifactUri(uri);
    inputPaths[name] = location ? path.join(ARTIFACT_INPUT_DIR, name, path.basename(location.path)) : uri;
  }
  return { outputs: outputPaths, inputArtifacts: inputPaths };
}
