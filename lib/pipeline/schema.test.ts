import { describe, expect, it } from 'vitest';

import { envVarSchema, resourcesSchema, stepSchema } from './schema';

describe('envVarSchema', () => {
  it('accepts a value or a secret reference', () => {
    expect(envVarSchema.parse({ name: 'A', value: 'x' })).toEqual({ name: 'A', value: 'x' });
    expect(envVarSchema.parse({ name: 'B', secret: { name: 'db.creds', key: 'pass_word-1' } })).toEqual({
      name: 'B',
      secret: { name: 'db.creds', key: 'pass_word-1' },
    });
  });

  it('rejects both at once, neither, and bad secret names', () => {
    expect(envVarSchema.safeParse({ name: 'A', value: 'x', secret: { name: 's', key: 'k' } }).success).toBe(false);
    expect(envVarSchema.safeParse({ name: 'A' }).success).toBe(false);
    expect(envVarSchema.safeParse({ name: 'A', secret: { name: 'Upper', key: 'k' } }).success).toBe(false);
    expect(envVarSchema.safeParse({ name: 'A', secret: { name: 's', key: 'a/b' } }).success).toBe(false);
  });
});

describe('resourcesSchema', () => {
  it('accepts Kubernetes quantities and rejects others', () => {
    expect(resourcesSchema.safeParse({ requests: { cpu: '250m', memory: '1.5Gi' }, limits: { gpu: 2 } }).success).toBe(true);
    expect(resourcesSchema.safeParse({ requests: { cpu: 'lots' } }).success).toBe(false);
    expect(resourcesSchema.safeParse({ limits: { memory: '1 GB' } }).success).toBe(false);
    expect(resourcesSchema.safeParse({ limits: { gpu: -1 } }).success).toBe(false);
  });
});

describe('stepSchema', () => {
  it('keeps timeout and security settings', () => {
    const step = stepSchema.parse({
      id: 'train',
      name: 'Train',
      image: 'python:3.12-slim',
      command: ['python3'],
      timeoutSeconds: 60,
      security: { runAsNonRoot: false },
    });
    expect(step.timeoutSeconds).toBe(60);
    expect(step.security).toEqual({ runAsNonRoot: false });
    expect(stepSchema.safeParse({ ...step, timeoutSeconds: 0 }).success).toBe(false);
  });
});
