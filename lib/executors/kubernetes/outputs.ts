/**
 * A succeeded pod's outputs: the value output from the container's termination message, and the
 * artifact outputs as locations on the run's volume.
 */
import path from 'node:path/posix';

import type { OutputValue } from '../../engine/types';
import type { PortType } from '../../pipeline/schema';
import { artifactUri, attemptArtifactDir, type RunVolume } from './container-paths';

/** The kubelet reads at most this many bytes of a termination message and drops the rest. */
export const TERMINATION_MESSAGE_LIMIT_BYTES = 4096;

export type CollectedOutputs =
  | { ok: true; outputs: Record<string, OutputValue> }
  | { ok: false; reason: 'OutputTooLarge' | 'OutputMissing'; message: string; outputs: Record<string, OutputValue> };

/**
 * Reads the declared outputs. A value is the termination message with one trailing newline
 * removed; an empty message is an empty value, because the kubelet creates the file before the
 * step starts.
 *
 * NOTE: artifacts are not checked or measured, because the server cannot read the volume; `bytes`
 * is 0 and a missing artifact shows only when a downstream step fails to read it.
 */
export function collectOutputs(
  declared: { name: string; type: PortType }[],
  terminationMessage: string | null,
  location: { stepId: string; attempt: number; runVolume: RunVolume | undefined },
): CollectedOutputs {
  const outputs: Record<string, OutputValue> = {};

  for (const output of declared) {
    if (output.type === 'artifact') {
      if (!location.runVolume) {
        return { ok: false, reason: 'OutputMissing', outputs, message: `artifact output \`${output.name}\` has no volume to live on` };
      }
      const directory = attemptArtifactDir(location.runVolume, location.stepId, location.attempt);
      outputs[output.name] = { type: 'artifact', path: artifactUri({ claimName: location.runVolume.claimName, path: path.join(directory, output.name) }), bytes: null };
      continue;
    }

    const text = terminationMessage ?? '';
    const size = Buffer.byteLength(text, 'utf8');
    if (size >= TERMINATION_MESSAGE_LIMIT_BYTES) {
      return {
        ok: false,
        reason: 'OutputTooLarge',
        outputs,
        message:
          `output \`${output.name}\` is ${TERMINATION_MESSAGE_LIMIT_BYTES} bytes or more, but on Kubernetes a value output travels in the pod's ` +
          `termination message, which holds at most 4 KiB (the rest is cut off); declare it as an artifact`,
      };
    }
    outputs[output.name] = { type: 'value', value: text.endsWith('\n') ? text.slice(0, -1) : text };
  }

  return { ok: true, outputs };
}
