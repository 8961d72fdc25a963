import type { Clock } from './clock';

/** One check of a scenario or deployment, with its verdict. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Progress lines (elapsed time first) and the final summary of a run. */
export class Progress {
  private readonly started: number;
  readonly lines: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {
    this.started = clock.now();
  }

  /** Seconds since the run started. */
  elapsedSeconds(): number {
    return Math.round((this.clock.now() - this.started) / 1000);
  }

  step(message: string): void {
    const s = this.elapsedSeconds();
    const stamp = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    this.emit(`[${stamp}] ${message}`);
  }

  /** Prints the summary table and returns whether every check passed. */
  summary(title: string, checks: readonly Check[]): boolean {
    const passed = checks.length > 0 && checks.every((c) => c.passed);
    this.emit('');
    this.emit(`${title}: ${passed ? 'PASSED' : 'FAILED'} (${this.elapsedSeconds()} s)`);
    for (const c of checks) this.emit(`  ${c.passed ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
    if (checks.length === 0) this.emit('  FAIL  no check ran');
    const failed = checks.filter((c) => !c.passed).length;
    this.emit(`${checks.length - failed} passed, ${failed} failed`);
    return passed;
  }

  private emit(line: string): void {
    this.lines.push(line);
    this.write(line);
  }
}
