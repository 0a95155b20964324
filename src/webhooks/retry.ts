/**
 * How long to wait after the `failedAttempts`-th failure: exponential (base, 2 × base, ...
 * up to max) with "equal jitter" (between half and all of it), so that endpoints coming back
 * after an outage are not hit by every instance's retries at the same moment.
 */
export function retryDelayMs(
  failedAttempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
