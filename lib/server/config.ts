/**
 * Server configuration from environment variables, validated once with zod.
 *
 * This module has no `server-only` guard because `proxy.ts` imports it too, and the proxy bundle is
 * not built with the React server condition that the guard needs. It reads no secrets into logs.
 */
import path from 'node:path';
import { z } from 'zod';

import { EXECUTOR_NAMES, type ExecutorName } from '../engine/types';

/** Settings the server reads from its environment. */
export interface PipedeckConfig {
  /** Directory for the SQLite file, run logs and artifacts (absolute). */
  dataDir: string;
  /** Executor used when a run does not name one. */
  executor: ExecutorName;
  /** Shared secret for the API and the UI; undefined when the server needs no login. */
  token: string | undefined;
  port: number;
  hostname: string;
  /** Extra `Host` header values accepted besides the loopback names, e.g. `pipedeck.example.org`. */
  allowedHosts: string[];
}

/** Minimum length of PIPEDECK_TOKEN, so a guessable word is not accepted as a secret. */
export const MIN_TOKEN_LENGTH = 16;

const HOST_ENTRY_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

const environmentSchema = z.object({
  PIPEDECK_DATA_DIR: z.string().trim().min(1, 'must not be empty when set').optional(),
  PIPEDECK_EXECUTOR: z
    .enum(EXECUTOR_NAMES, { error: `must be one of ${EXECUTOR_NAMES.join(', ')}` })
    .default('process'),
  PIPEDECK_TOKEN: z
    .string()
    .min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\``)
    .optional(),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 1 to 65535')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, 'must be a port number from 1 to 65535')
    .default(3000),
  HOSTNAME: z.string().trim().min(1).default('127.0.0.1'),
  PIPEDECK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== ''),
    )
    .refine(
      (entries) => entries.every((entry) => HOST_ENTRY_PATTERN.test(entry)),
      'must be a comma-separated list of host names or addresses, each with an optional :port',
    ),
});

/**
 * Parses the configuration from `env`. Empty variables count as unset, so `PIPEDECK_TOKEN=` in a
 * compose file does not become an empty secret.
 *
 * @throws Error naming every invalid variable and how to fix it.
 */
export function parseConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): PipedeckConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`invalid Pipedeck configuration: ${problems.join('; ')}`);
  }

  const values = result.data;
  return {
    dataDir: path.resolve(cwd, values.PIPEDECK_DATA_DIR ?? 'data'),
    executor: values.PIPEDECK_EXECUTOR,
    token: values.PIPEDECK_TOKEN,
    port: values.PORT,
    hostname: values.HOSTNAME,
    allowedHosts: values.PIPEDECK_ALLOWED_HOSTS,
  };
}

const CONFIG_KEY = Symbol.for('pipedeck.config');
type ConfigHolder = { [CONFIG_KEY]?: PipedeckConfig };

/**
 * Returns the process-wide configuration, parsed from `process.env` on first use.
 *
 * @remarks Next.js sets `PORT` when the server starts listening, so call this while handling a
 * request or after startup, not at module load.
 */
export function getConfig(): PipedeckConfig {
  const holder = globalThis as ConfigHolder;
  holder[CONFIG_KEY] ??= parseConfig(process.env);
  return holder[CONFIG_KEY];
}

/** Forgets the parsed configuration so the next `getConfig()` reads the environment again (tests only). */
export function resetConfigForTests(): void {
  delete (globalThis as ConfigHolder)[CONFIG_KEY];
}
