import { describe, expect, it } from 'vitest';

import { collectOutputs } from './outputs';

const location = { stepId: 'train', attempt: 2, runVolume: { claimName: 'pipedeck-run-r1-abc', basePath: '' } };

describe('collectOutputs', () => {
  it('takes the value from the termination message without its trailing newline', () => {
    expect(collectOutputs([{ name: 'accuracy', type: 'number' }], '0.93\n', location)).toEqual({
      ok: true,
      outputs: { accuracy: { type: 'value', value: '0.93' } },
    });
  });

  it('takes an empty message as an empty value', () => {
    expect(collectOutputs([{ name: 'note', type: 'string' }], null, location)).toEqual({ ok: true, outputs: { note: { type: 'value', value: '' } } });
  });

  it('locates artifacts on the run volume', () => {
    expect(collectOutputs([{ name: 'model', type: 'artifact' }], '', location)).toEqual({
      ok: true,
      outputs: { model: { type: 'artifact', path: 'pvc://pipedeck-run-r1-abc/train/2/model', bytes: null } },
    });
  });

  it('fails a value that fills the 4 KiB termination message', () => {
    const collected = collectOutputs([{ name: 'report', type: 'string' }], 'x'.repeat(4096), location);
    expect(collected).toEqual({
      ok: false,
      reason: 'OutputTooLarge',
      outputs: {},
      message:
        "output `report` is 4096 bytes or more, but on Kubernetes a value output travels in the pod's termination message, which holds at most 4 KiB (the rest is cut off); declare it as an artifact",
    });
  });

  it('accepts a value just under the limit', () => {
    const collected = collectOutputs([{ name: 'report', type: 'string' }], 'x'.repeat(4095), location);
    expect(collected.ok).toBe(true);
  });
});
