/**
 * Reading a step's declared outputs from `<attemptDir>/outputs/NAME` after it exited with code 0.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { OutputValue } from '../../engine/types';
import type { PortType } from '../../pipeline/schema';

/** Largest value output, in bytes; larger data belongs in an artifact. */
export const MAX_VALUE_OUTPUT_BYTES = 64 * 1024;

export type CollectedOutputs =
  | { ok: true; outputs: Record<string, OutputValue> }
  | { ok: false; message: string; outputs: Record<string, OutputValue> };

/** Host path where a step writes output `name`: what `{{outputs.NAME}}` renders to. */
export function outputPath(attemptDir: string, name: string): string {
  return path.join(attemptDir, 'outputs', name);
}

/**
 * Reads every declared output. A value output must be a file of at most 64 KiB, read as UTF-8 with
 * one trailing newline removed. An artifact must exist as a file or directory. Stops at the first
 * problem and returns a message that names the output and its path.
 */
export async function collectOutputs(
  attemptDir: string,
  declared: { name: string; type: PortType }[],
): Promise<CollectedOutputs> {
  const outputs: Record<string, OutputValue> = {};

  for (const output of declared) {
    const file = outputPath(attemptDir, output.name);
    const stat = await fs.promises.stat(file).catch(() => undefined);

    if (output.type === 'artifact') {
      if (!stat) {
        return { ok: false, outputs, message: `artifact output \`${output.name}\` was not written: nothing at ${file}` };
      }
      outputs[output.name] = { type: 'artifact', path: file, bytes: await measureBytes(file, stat) };
      continue;
    }

    if (!stat) {
      return { ok: false, outputs, message: `output \`${output.name}\` was not written: no file at ${file}` };
    }
    if (!stat.isFile()) {
      return { ok: false, outputs, message: `output \`${output.name}\` must be a file, but ${file} is not a regular file` };
    }
    if (stat.size > MAX_VALUE_OUTPUT_BYTES) {
      return {
        ok: false,
        outputs,
        message:
          `output \`${output.name}\` at ${file} is ${stat.size} bytes; a ${output.type} output may be at most ` +
          `${MAX_VALUE_OUTPUT_BYTES} bytes, so declare it as an artifact`,
      };
    }
    const text = await fs.promises.readFile(file, 'utf8');
    outputs[output.name] = { type: 'value', value: text.endsWith('\n') ? text.slice(0, -1) : text };
  }

  return { ok: true, outputs };
}

/** Size of a file, or the total size of the regular files under a directory (symbolic links not followed). */
async function measureBytes(file: string, stat: fs.Stats): Promise<number> {
  if (!stat.isDirectory()) return stat.size;

  let total = 0;
  const entries = await fs.promises.readdir(file, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const entryStat = await fs.promises.lstat(path.join(entry.parentPath, entry.name));
    total += entryStat.size;
  }
  return total;
}
