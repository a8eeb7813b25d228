#!/usr/bin/env node
/**
 * Entry point of the container image: applies the same start rules as `npm start`, then runs the
 * Next.js standalone server (`server.js`) in this process.
 *
 * `server.js` listens on the HOSTNAME address whether or not PIPEDECK_TOKEN is set. This wrapper first
 * rejects a non-loopback HOSTNAME without a token (and an invalid PORT or a short token), using the
 * checks of `scripts/start.mjs`. The image places this file, `scripts/start.mjs` and `server.js` side by side
 * in /app; e2e/kubernetes/deploy/standalone.test.ts lays out a standalone tree the same way.
 */
import process from 'node:process';

import { checkStartOptions } from './scripts/start.mjs';

const options = checkStartOptions(process.env);
if (!options.ok) {
  process.stderr.write(`pipedeck: ${options.message}\n`);
  process.exit(1);
}

process.env.HOSTNAME = options.hostname;
process.env.PORT = String(options.port);
await import('./server.js');
