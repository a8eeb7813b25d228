/**
 * The process-wide store, kept on `globalThis` under a registered symbol: Next.js may load route
 * handlers, server actions and `instrumentation.ts` as separate module instances, and they must all
 * share one SQLite connection. `context.ts` re-exports `getStore` beside the engine.
 */
import 'server-only';

import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/types';
import { getConfig } from './config';

const STORE_KEY = Symbol.for('pipedeck.store');
type StoreHolder = { [STORE_KEY]?: Store };

/**
 * Returns the store, opening it in `PIPEDECK_DATA_DIR` on first use.
 *
 * @remarks This neither seeds the examples nor starts the engine; `startPipedeck()` in `context.ts`
 * does both, and `instrumentation.ts` calls it before the server takes requests.
 */
export function getStore(): Store {
  const holder = globalThis as StoreHolder;
  holder[STORE_KEY] ??= openStore(getConfig().dataDir);
  return holder[STORE_KEY];
}

/** Closes the store if it is open; the next `getStore()` opens it again. */
export function closeStore(): void {
  const holder = globalThis as StoreHolder;
  holder[STORE_KEY]?.close();
  delete holder[STORE_KEY];
}
