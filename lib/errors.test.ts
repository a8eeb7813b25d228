import { describe, expect, it } from 'vitest';

import { isPipedeckError, PipedeckError } from './errors';

describe('isPipedeckError', () => {
  it('recognises errors from another copy of the module', async () => {
    // A fresh module instance stands in for the separate copy that another Next bundle loads.
    const copy = (await import(`./errors?copy=${Date.now()}`)) as typeof import('./errors');
    const foreign = new copy.PipedeckError('conflict', 'stale version');

    expect(copy.PipedeckError).not.toBe(PipedeckError);
    expect(foreign instanceof PipedeckError).toBe(false);
    expect(isPipedeckError(foreign)).toBe(true);
  });

  it('rejects look-alikes and plain errors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'PipedeckError', code: 'conflict' });

    expect(isPipedeckError(lookAlike)).toBe(false);
    expect(isPipedeckError(new Error('x'))).toBe(false);
    expect(isPipedeckError(null)).toBe(false);
  });

  it('maps codes to statuses', () => {
    expect(new PipedeckError('conflict', 'x').status).toBe(409);
    expect(new PipedeckError('invalid_pipeline', 'x').status).toBe(422);
    expect(new PipedeckError('not_found', 'x').status).toBe(404);
  });
});
