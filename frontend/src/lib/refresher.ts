// A refresh that runs one at a time: asked for while one runs, it runs exactly once more
// afterwards (so the last answer is never older than the last ask); `soon` gathers the asks of
// a short while into one. The pages use it for their connection lists.

export interface Refresher {
  /** Refreshes now, or once more after the refresh that is running. */
  now(): Promise<void>;
  /** Refreshes after `delayMs`, once for however many asks come meanwhile. */
  soon(): void;
}

export function refresher(
  refresh: () => Promise<void>,
  delayMs = 100,
  timer: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms),
): Refresher {
  let running = false;
  let again = false;
  let scheduled = false;
  async function now(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await refresh();
    } finally {
      running = false;
      if (again) {
        again = false;
        void now();
      }
    }
  }
  function soon(): void {
    if (scheduled) return;
    scheduled = true;
    timer(() => {
      scheduled = false;
      void now();
    }, delayMs);
  }
  return { now, soon };
}
