/** Types of the checks exported by start.mjs, for its tests. */
export function isLoopbackAddress(address: string): boolean;

export function checkStartOptions(
  env: Record<string, string | undefined>,
): { ok: true; hostname: string; port: number } | { ok: false; message: string };
