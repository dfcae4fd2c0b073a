// Long loops over every evaluation (汇总, the reminder pass) share the event loop with
// the webhook: this lets them hand it back every few milliseconds, so Lark's events are
// acknowledged in between instead of waiting for the whole loop. Works on Node and Workers.

/** Milliseconds of work between two yields. */
const SLICE_MS = 8;

/** Hands the event loop back once. */
export const yieldLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Call `await pause()` inside a loop: it yields only when the current slice has run out. */
export function slicer(sliceMs = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < sliceMs) return;
    await yieldLoop();
    start = performance.now();
  };
}
