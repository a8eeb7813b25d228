import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { describeApiError, describeApiFailure, isRetryableApiError } from './api-error';

describe('describeApiError', () => {
  it('reads the API server message and reason', () => {
    const body = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'pods "p" already exists', code: 409 });
    expect(describeApiError(new ApiException(409, 'Unknown API Status Code!', body, {}))).toEqual({
      status: 409,
      reason: 'AlreadyExists',
      message: 'pods "p" already exists',
      retryAfterSeconds: null,
    });
  });

  it('reads Retry-After', () => {
    const problem = describeApiError(new ApiException(429, 'Too Many Requests', '{}', { 'retry-after': '2' }));
    expect(problem.retryAfterSeconds).toBe(2);
    expect(problem.message).toBe('HTTP 429: Too Many Requests');
  });

  it('reads a watch error status', () => {
    expect(describeApiError(Object.assign(new Error('Gone'), { statusCode: 410 })).status).toBe(410);
  });

  it('keeps a network error message', () => {
    const error = Object.assign(new Error('request to https://127.0.0.1:1/api failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeApiError(error)).toEqual({
      status: null,
      reason: null,
      message: 'request to https://127.0.0.1:1/api failed, reason: connect ECONNREFUSED 127.0.0.1:1',
      retryAfterSeconds: null,
    });
  });
});

describe('isRetryableApiError', () => {
  it('retries throttling, server errors and lost connections only', () => {
    const problem = (status: number | null) => ({ status, reason: null, message: '', retryAfterSeconds: null });
    expect([429, 500, 502, 503, 504, null].map((status) => isRetryableApiError(problem(status)))).toEqual([true, true, true, true, true, true]);
    expect([400, 403, 404, 409, 422].map((status) => isRetryableApiError(problem(status)))).toEqual([false, false, false, false, false]);
  });
});

describe('describeApiFailure', () => {
  it('tells an error answer from a connection that failed', () => {
    const server = 'https://127.0.0.1:6443';
    const body = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'etcdserver: request timed out', code: 500 });
    expect(describeApiFailure(new ApiException(500, 'Internal Server Error', body, {}), server)).toBe('the Kubernetes API answered 500: etcdserver: request timed out');
    expect(describeApiFailure(new ApiException(503, 'Service Unavailable', 'upstream down', {}), server)).toBe('the Kubernetes API answered 503: Service Unavailable');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    expect(describeApiFailure(refused, server)).toBe('cannot reach the Kubernetes API at https://127.0.0.1:6443: connect ECONNREFUSED 127.0.0.1:6443');
  });
});
