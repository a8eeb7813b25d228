/**
 * Waits `ms`, or less once the wake function handed to `onWake` is called: loops that retry on a
 * timer use it so that a stop or a new event does not wait out the whole delay.
 */
export function wakeableSleep(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      resolve();
    }
    onWake(finish);
  });
}
