/** Time as the runners see it; tests inject a fake one so waits are instant and deterministic. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A clock that only moves when something sleeps: `sleep(ms)` advances `now()` by `ms` at once (after
 * yielding, so concurrent work interleaves as it would in real time).
 */
export class FakeClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    await Promise.resolve();
    this.current += ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
