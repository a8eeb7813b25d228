import { describe, expect, it } from 'vitest';

import { labelValue, podLabelsFor, podNameFor, podOwnerOf, runClaimNameFor, runSelector } from './pod-names';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

describe('podNameFor', () => {
  it('joins run, step and attempt with a hash', () => {
    const name = podNameFor({ runId: 'k3v9qz0a8b7c6d', stepId: 'train', attempt: 2 });
    expect(name).toMatch(/^k3v9qz0a-train-2-[0-9a-f]{10}$/);
  });

  it('returns the same name for the same attempt', () => {
    const owner = { runId: 'abc123', stepId: 'prepare-data', attempt: 1 };
    expect(podNameFor(owner)).toBe(podNameFor({ ...owner }));
  });

  it('gives attempts of one step different names', () => {
    const first = podNameFor({ runId: 'abc123', stepId: 'step', attempt: 1 });
    const second = podNameFor({ runId: 'abc123', stepId: 'step', attempt: 2 });
    expect(first).not.toBe(second);
  });

  it('keeps long step ids within 63 characters', () => {
    const stepId = `s${'a'.repeat(61)}z`;
    const name = podNameFor({ runId: 'abcdefghijklmn', stepId, attempt: 12 });
    expect(name.length).toBe(63);
    expect(name).toMatch(DNS_LABEL);
  });

  it('never leaves a dash before the hash doubled or at the end', () => {
    // 53 characters of prefix end exactly on a dash of the step id.
    const stepId = `${'b'.repeat(43)}-${'c'.repeat(10)}`;
    for (let attempt = 1; attempt < 30; attempt++) {
      const name = podNameFor({ runId: 'run1', stepId, attempt });
      expect(name).toMatch(DNS_LABEL);
      expect(name).not.toContain('--');
    }
  });

  it('slugs upper-case and odd characters in run ids', () => {
    const name = podNameFor({ runId: 'Run_ID.With Spaces', stepId: 'step', attempt: 1 });
    expect(name).toMatch(DNS_LABEL);
    expect(name.startsWith('run-id-w-step-1-')).toBe(true);
  });

  it('tells runs apart that share an eight-character prefix', () => {
    const first = podNameFor({ runId: 'abcdefgh1', stepId: 'step', attempt: 1 });
    const second = podNameFor({ runId: 'abcdefgh2', stepId: 'step', attempt: 1 });
    expect(first).not.toBe(second);
  });
});

describe('labelValue', () => {
  it('keeps values that are already valid', () => {
    expect(labelValue('k3v9qz0a8b7c6d')).toBe('k3v9qz0a8b7c6d');
    expect(labelValue('a.b_c-d')).toBe('a.b_c-d');
  });

  it('cleans and hashes invalid values', () => {
    const value = labelValue('-bad value/with:chars-');
    expect(value).toMatch(LABEL_VALUE);
    expect(value).toMatch(/^bad-value-with-chars-[0-9a-f]{10}$/);
  });

  it('shortens long values to 63 characters', () => {
    const value = labelValue('x'.repeat(100));
    expect(value.length).toBe(63);
    expect(value).toMatch(LABEL_VALUE);
  });

  it('keeps long values with a common prefix apart', () => {
    expect(labelValue(`${'x'.repeat(100)}1`)).not.toBe(labelValue(`${'x'.repeat(100)}2`));
  });

  it('returns a hash for text with no valid character', () => {
    expect(labelValue('///')).toMatch(/^[0-9a-f]{10}$/);
  });
});

describe('podLabelsFor and podOwnerOf', () => {
  it('labels a pod with managed-by, run, step and attempt', () => {
    expect(podLabelsFor({ runId: 'run1', stepId: 'train', attempt: 3 })).toEqual({
      'app.kubernetes.io/managed-by': 'pipedeck',
      'pipedeck.dev/run': 'run1',
      'pipedeck.dev/step': 'train',
      'pipedeck.dev/attempt': '3',
    });
  });

  it('reads the owner back from labels and annotations', () => {
    const labels = podLabelsFor({ runId: 'run1', stepId: 'train', attempt: 3 });
    const annotations = { 'pipedeck.dev/run-id': 'run1', 'pipedeck.dev/step-id': 'train' };
    expect(podOwnerOf({ labels, annotations })).toEqual({ runId: 'run1', stepId: 'train', attempt: 3 });
  });

  it('prefers the full ids in annotations over cut labels', () => {
    const longRun = 'r'.repeat(80);
    const labels = podLabelsFor({ runId: longRun, stepId: 'train', attempt: 1 });
    expect(podOwnerOf({ labels, annotations: { 'pipedeck.dev/run-id': longRun } })?.runId).toBe(longRun);
  });

  it('returns undefined for a pod without an attempt label', () => {
    expect(podOwnerOf({ labels: { 'pipedeck.dev/run': 'run1', 'pipedeck.dev/step': 'a' } })).toBeUndefined();
    expect(podOwnerOf(undefined)).toBeUndefined();
  });
});

describe('selectors and claim names', () => {
  it('selects a run by managed-by and run labels', () => {
    expect(runSelector('run1')).toBe('app.kubernetes.io/managed-by=pipedeck,pipedeck.dev/run=run1');
  });

  it('names a run claim as a DNS label', () => {
    const name = runClaimNameFor('k3v9qz0a8b7c6d');
    expect(name).toMatch(/^pipedeck-run-k3v9qz0a8b7c6d-[0-9a-f]{10}$/);
    expect(runClaimNameFor('x'.repeat(90))).toMatch(DNS_LABEL);
  });
});
