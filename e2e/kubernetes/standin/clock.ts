/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Time formats of the Kubernetes API: object times are RFC 3339 with whole seconds (metav1.Time),
 * log timestamps are Go's RFC3339Nano, which drops trailing zeros of the fraction.
 */

const startWallNs = BigInt(Date.now()) * 1_000_000n;
const startMonotonicNs = process.hrtime.bigint();

/** Current time in nanoseconds since the epoch: wall clock at load time plus a monotonic offset. */
export function nowNs(): bigint {
  return startWallNs + (process.hrtime.bigint() - startMonotonicNs);
}

/** `2006-01-02T15:04:05Z`, as metav1.Time serialises. */
export function formatSeconds(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `2006-01-02T15:04:05.999999999Z` with trailing zeros dropped, as Go's time.RFC3339Nano formats. */
export function formatRfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return fraction === '' ? `${whole}Z` : `${whole}.${fraction}Z`;
}
