/**
 * Structured logger (pino) shared by the engine, executors and server. Lines are JSON on stdout;
 * pass ids as fields (`runId`, `stepId`, `attempt`) so a run can be followed with grep or jq.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string } = {}): Logger {
  return pino({
    level: options.level ?? process.env.PIPEDECK_LOG_LEVEL ?? 'info',
    base: { service: 'pipedeck' },
    redact: { paths: ['token', '*.token', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
  });
}

/** A logger that drops everything, for tests that assert on other output. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
