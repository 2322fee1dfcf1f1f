/**
 * Sharing the phone's one main thread with the page. Work that can wait (a
 * map) starts once the page has loaded and painted, when the thread is idle,
 * and gives the thread back between its steps, so no single task keeps a tap
 * or the first paint waiting: on a cheap Android phone every task runs about
 * four times longer than on a desktop (Lighthouse's mobile profile assumes
 * as much), and a task over 50 ms is what users feel as a stuck page.
 */

/**
 * Resolves after the load event, at the browser's next idle moment (at most
 * `timeout` ms later). Browsers without requestIdleCallback (Safari) wait a
 * frame and a task instead.
 */
export function afterLoadWhenIdle(timeout = 2000): Promise<void> {
  return new Promise((resolve) => {
    const whenIdle = () => {
      if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout });
      else requestAnimationFrame(() => setTimeout(resolve, 0));
    };
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, { once: true });
  });
}

/** Ends the current task and resolves in a new one, after anything waiting (a tap, a frame) has run. */
export function yieldToMain(): Promise<void> {
  if ('scheduler' in globalThis && 'yield' in scheduler) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
