/** Query-string edits for state kept in the URL (selected step, history filters). */

/**
 * Returns `pathname` with the query of `search` where each key in `changes` is set, or removed
 * when its value is null or empty. Other keys are kept in their order.
 */
export function withQueryChanges(pathname: string, search: string, changes: Record<string, string | null>): string {
  const query = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === '') {
      query.delete(key);
    } else {
      query.set(key, value);
    }
  }

  const text = query.toString();
  return text === '' ? pathname : `${pathname}?${text}`;
}
