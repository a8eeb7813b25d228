/**
 * The server's one logger, kept on `globalThis` so route handlers, server actions and
 * `instrumentation.ts` (which Next.js may load as separate module instances) write through the same
 * pino instance.
 */
import 'server-only';

import { createLogger, type Logger } from '../logger';

const LOGGER_KEY = Symbol.for('pipedeck.server-logger');

/** Returns the server's logger (pino, JSON lines on stdout). */
export function getLogger(): Logger {
  const holder = globalThis as { [LOGGER_KEY]?: Logger };
  holder[LOGGER_KEY] ??= createLogger();
  return holder[LOGGER_KEY];
}
