import { describe, expect, it } from 'vitest';

import { podRefOf } from './pod-ref';

describe('podRefOf', () => {
  it('reads the pod of a kubernetes attempt', () => {
    expect(podRefOf('kubernetes', { podName: '0f3a9c1e-train-1-5d2e8a7b9c', namespace: 'ml' })).toEqual({
      namespace: 'ml',
      podName: '0f3a9c1e-train-1-5d2e8a7b9c',
    });
  });

  it('ignores refs of other executors', () => {
    expect(podRefOf('process', { podName: 'train', namespace: 'ml' })).toBeNull();
    expect(podRefOf('process', { pid: 4242 })).toBeNull();
  });

  it('ignores missing or partial refs', () => {
    expect(podRefOf('kubernetes', null)).toBeNull();
    expect(podRefOf('kubernetes', undefined)).toBeNull();
    expect(podRefOf('kubernetes', ['ml', 'train'])).toBeNull();
    expect(podRefOf('kubernetes', 'ml/train')).toBeNull();
    expect(podRefOf('kubernetes', { podName: 'train' })).toBeNull();
    expect(podRefOf('kubernetes', { podName: '', namespace: 'ml' })).toBeNull();
    expect(podRefOf('kubernetes', { podName: 7, namespace: 'ml' })).toBeNull();
  });
});
