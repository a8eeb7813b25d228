import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { checkStartOptions, isLoopbackAddress } from '../../scripts/start.mjs';

const START_SCRIPT = path.resolve(import.meta.dirname, '../../scripts/start.mjs');

function runStartScript(env: Record<string, string>) {
  const inherited = { PATH: process.env.PATH ?? '', NODE_ENV: 'production' as const };
  return spawnSync(process.execPath, [START_SCRIPT], { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 20_000 });
}

describe('scripts/start.mjs', () => {
  it('exits 1 on a non-loopback address without a token', () => {
    const result = runStartScript({ HOSTNAME: '0.0.0.0', PORT: '3999' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'pipedeck: refusing to listen on 0.0.0.0 without PIPEDECK_TOKEN: anyone who can reach this port could run ' +
        'commands on this machine. Set PIPEDECK_TOKEN to a secret of at least 16 characters ' +
        '(e.g. `PIPEDECK_TOKEN=$(openssl rand -hex 32)`), or listen on loopback only with HOSTNAME=127.0.0.1.\n',
    );
  });

  it('exits 1 on a token shorter than 16 characters', () => {
    const result = runStartScript({ HOSTNAME: '0.0.0.0', PIPEDECK_TOKEN: 'short' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PIPEDECK_TOKEN must be at least 16 characters');
    expect(result.stderr).not.toContain('short');
  });

  it('classifies loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.org', '::ffff:10.0.0.1']) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });

  it('defaults to 127.0.0.1:3000', () => {
    expect(checkStartOptions({})).toEqual({ ok: true, hostname: '127.0.0.1', port: 3000 });
  });

  it('allows a non-loopback address with a token', () => {
    expect(checkStartOptions({ HOSTNAME: '0.0.0.0', PORT: '8080', PIPEDECK_TOKEN: 'x'.repeat(32) })).toEqual({
      ok: true,
      hostname: '0.0.0.0',
      port: 8080,
    });
  });

  it('rejects a bad port', () => {
    expect(checkStartOptions({ PORT: '70000' })).toEqual({
      ok: false,
      message: 'PORT must be a port number from 1 to 65535, not "70000".',
    });
  });
});
