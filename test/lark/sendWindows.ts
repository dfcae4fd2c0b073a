// How the tests and the bench check Lark's sending limits on what the fake platform received.
/** The most sends in any window of `periodMs` over sorted send times: how the limits are checked. */
export function mostInAnyWindow(sortedTimes: readonly number[], periodMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; j < sortedTimes.length; j++) {
    while (sortedTimes[j] - sortedTimes[i] >= periodMs) i++;
    max = Math.max(max, j - i + 1);
  }
  return max;
}
