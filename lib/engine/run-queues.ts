/**
 * One queue of tasks per run: tasks of the same run run one after another, so two step endings never
 * decide at once, while different runs proceed independently.
 */
export class RunQueues {
  /** Tail of each run's queue; removed once the queue is empty. */
  private readonly tails = new Map<string, Promise<void>>();
  private closed = false;

  /** @param onError receives a task's error; the queue then goes on with the next task. */
  constructor(private readonly onError: (runId: string, error: unknown) => void) {}

  /** Runs `task` after the run's earlier tasks. Once `close` was called, tasks are dropped unrun. */
  enqueue(runId: string, task: () => Promise<void> | void): Promise<void> {
    const previous = this.tails.get(runId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        if (!this.closed) await task();
      })
      .catch((error: unknown) => this.onError(runId, error));

    this.tails.set(runId, next);
    void next.then(() => {
      if (this.tails.get(runId) === next) this.tails.delete(runId);
    });
    return next;
  }

  /** Drops every task not yet started and waits for the ones in progress. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
