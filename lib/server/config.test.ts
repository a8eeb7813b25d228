import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseConfig } from './config';

describe('parseConfig', () => {
  it('uses loopback, port 3000 and ./data by default', () => {
    expect(parseConfig({}, '/srv/pipedeck')).toEqual({
      dataDir: path.resolve('/srv/pipedeck/data'),
      executor: 'process',
      token: undefined,
      port: 3000,
      hostname: '127.0.0.1',
      allowedHosts: [],
    });
  });

  it('reads every variable', () => {
    const config = parseConfig(
      {
        PIPEDECK_DATA_DIR: 'state',
        PIPEDECK_EXECUTOR: 'kubernetes',
        PIPEDECK_TOKEN: 'a'.repeat(32),
        PORT: '8080',
        HOSTNAME: '0.0.0.0',
        PIPEDECK_ALLOWED_HOSTS: ' Pipedeck.example.org , 10.0.0.5:8080,',
      },
      '/srv',
    );
    expect(config).toEqual({
      dataDir: path.resolve('/srv/state'),
      executor: 'kubernetes',
      token: 'a'.repeat(32),
      port: 8080,
      hostname: '0.0.0.0',
      allowedHosts: ['pipedeck.example.org', '10.0.0.5:8080'],
    });
  });

  it('treats empty variables as unset', () => {
    const config = parseConfig({ PIPEDECK_TOKEN: '', PORT: '', PIPEDECK_EXECUTOR: '' }, '/srv');
    expect(config.token).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.executor).toBe('process');
  });

  it('rejects an unknown executor by name', () => {
    expect(() => parseConfig({ PIPEDECK_EXECUTOR: 'podman' })).toThrow(
      'invalid Pipedeck configuration: PIPEDECK_EXECUTOR must be one of process, docker, kubernetes',
    );
  });

  it('rejects a short token without echoing it', () => {
    let message = '';
    try {
      parseConfig({ PIPEDECK_TOKEN: 'hunter2' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'invalid Pipedeck configuration: PIPEDECK_TOKEN must be at least 16 characters; generate one with `openssl rand -hex 32`',
    );
    expect(message).not.toContain('hunter2');
  });

  it('rejects ports outside 1..65535', () => {
    for (const port of ['0', '65536', 'http', '-1']) {
      expect(() => parseConfig({ PORT: port }), port).toThrow('PORT must be a port number from 1 to 65535');
    }
  });

  it('rejects allowed hosts that are not host names', () => {
    expect(() => parseConfig({ PIPEDECK_ALLOWED_HOSTS: 'https://example.org/' })).toThrow(
      'PIPEDECK_ALLOWED_HOSTS must be a comma-separated list of host names or addresses, each with an optional :port',
    );
  });
});
