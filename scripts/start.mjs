#!/usr/bin/env node
/**
 * Production start command (`npm start`): serves the built app with `next start` on HOSTNAME:PORT
 * (default 127.0.0.1:3000).
 *
 * It refuses to listen beyond loopback without PIPEDECK_TOKEN, because anyone who can reach the port
 * could otherwise run commands on this machine through pipeline steps. Next.js is spawned with an
 * argv array (no shell); signals are forwarded to it and its exit code becomes this process's.
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** Same minimum as lib/server/config.ts, checked here too so a weak token fails before Next.js starts. */
const MIN_TOKEN_LENGTH = 16;

/**
 * Tells whether a listen address only accepts connections from this machine: `localhost`,
 * 127.0.0.0/8, `::1`, or an IPv4-mapped loopback address.
 */
export function isLoopbackAddress(address) {
  const host = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}

/**
 * Reads HOSTNAME, PORT and PIPEDECK_TOKEN and decides whether the server may start.
 *
 * @returns `{ok: true, hostname, port}` or `{ok: false, message}` with the reason and the fix.
 */
export function checkStartOptions(env) {
  const hostname = env.HOSTNAME?.trim() || '127.0.0.1';
  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  const token = env.PIPEDECK_TOKEN ?? '';

  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) {
    return { ok: false, message: `PORT must be a port number from 1 to 65535, not "${portText}".` };
  }
  if (token !== '' && token.length < MIN_TOKEN_LENGTH) {
    return {
      ok: false,
      message: `PIPEDECK_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\`.`,
    };
  }
  if (!isLoopbackAddress(hostname) && token === '') {
    return {
      ok: false,
      message:
        `refusing to listen on ${hostname} without PIPEDECK_TOKEN: anyone who can reach this port could run ` +
        'commands on this machine. Set PIPEDECK_TOKEN to a secret of at least 16 characters ' +
        '(e.g. `PIPEDECK_TOKEN=$(openssl rand -hex 32)`), or listen on loopback only with HOSTNAME=127.0.0.1.',
    };
  }
  return { ok: true, hostname, port };
}

function main() {
  const options = checkStartOptions(process.env);
  if (!options.ok) {
    process.stderr.write(`pipedeck: ${options.message}\n`);
    process.exit(1);
  }

  const require = createRequire(import.meta.url);
  const nextBin = require.resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, 'start', '-H', options.hostname, '-p', String(options.port)], {
    stdio: 'inherit',
    env: { ...process.env, HOSTNAME: options.hostname, PORT: String(options.port) },
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }

  child.on('error', (error) => {
    process.stderr.write(`pipedeck: could not start Next.js: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Re-raise the child's signal so a supervisor gets the same cause of exit.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

// Run only as a script, so tests can import the checks without starting a server.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main();
}
