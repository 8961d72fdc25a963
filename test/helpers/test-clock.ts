import { FakeClock } from '../../tools/shared/clock';

/**
 * A fake clock whose sleeps also yield a few real milliseconds, so real I/O (the local HTTP stand-in) makes
 * progress while scenario logic "waits" minutes. Time as the code sees it stays fake and deterministic.
 */
export class YieldingClock extends FakeClock {
  override async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 3));
    this.advance(ms);
  }
}

/** Pacing of order streams in tests: a couple of real milliseconds between orders. */
export const fastPace = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
