/**
 * Returns a copy of `item` with `patch` applied, where a key set to undefined is removed rather than
 * stored, so an optional field cleared in a form disappears from the saved pipeline.
 */
export function applyPatch<T extends object>(item: T, patch: Partial<NoInfer<T>>): T {
  const result = { ...item } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result as T;
}
