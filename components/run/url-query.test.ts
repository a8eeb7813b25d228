import { describe, expect, it } from 'vitest';

import { withQueryChanges } from './url-query';

describe('withQueryChanges', () => {
  it('sets a key', () => {
    expect(withQueryChanges('/runs/r-1', '', { step: 'train' })).toBe('/runs/r-1?step=train');
  });

  it('replaces a key and keeps the others', () => {
    expect(withQueryChanges('/runs', '?pipelineId=p-1&status=failed', { status: 'running' })).toBe(
      '/runs?pipelineId=p-1&status=running',
    );
  });

  it('removes a key set to null or empty', () => {
    expect(withQueryChanges('/runs', '?pipelineId=p-1&status=failed', { status: null })).toBe('/runs?pipelineId=p-1');
    expect(withQueryChanges('/runs', '?status=failed', { status: '' })).toBe('/runs');
  });

  it('encodes values', () => {
    expect(withQueryChanges('/runs', '', { pipelineId: 'a b&c' })).toBe('/runs?pipelineId=a+b%26c');
  });
});
