/**
 * Answers kept for the rest of the current turn of the event loop, by exact key. A program that
 * declares many environments at once (one synchronous stretch) asks the same question once; the
 * next turn asks again, so a declaration made later in the same process (another update of an
 * Automation API program, the next test) sees the world as it is then, as it would uncached.
 */
export class TurnCache<T> {
  private readonly answers = new Map<string, T>();
  private clearing = false;

  /** The answer for `key` in this turn: `compute()`'s, computed on the first ask (an error is not kept). */
  get(key: string, compute: () => T): T {
    if (this.answers.has(key)) return this.answers.get(key) as T;
    const value = compute();
    this.answers.set(key, value);
    if (!this.clearing) {
      this.clearing = true;
      setImmediate(() => {
        this.answers.clear();
        this.clearing = false;
      });
    }
    return value;
  }
}
