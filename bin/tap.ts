#!/usr/bin/env node
import { createApp } from '../lib/app';
import { RegisterError } from '../lib/compliance/acknowledgements';
import { TodayError } from '../lib/compliance/today';
import { reportGate } from '../lib/compliance/report-gate';
import { describePlaceholder, placeholdersIn } from '../lib/config/placeholders';
import { ConfigError } from '../lib/config/resolve-config';
import { CalendarError } from '../lib/schedule/exchange-calendar';

// Configuration is read and validated here, once; a bad value stops before any construct is built.
// A malformed compliance register (or TAP_TODAY) stops the same way, before synthesis.
let tap;
try {
  tap = createApp();
  const { config } = tap;
  const placeholders = placeholdersIn(config);
  if (placeholders.length > 0) {
    console.error(
      [
        '',
        `!!! WARNING: ${config.stackName} is built with PLACEHOLDER values and must not be deployed:`,
        ...placeholders.map((p) => `!!!   ${describePlaceholder(p)}`),
        '',
      ].join('\n'),
    );
  }
} catch (err) {
  if (
    err instanceof ConfigError ||
    err instanceof RegisterError ||
    err instanceof TodayError ||
    err instanceof CalendarError
  ) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// Synthesize here (not at exit) so the gate can say what it did after the CDK's own validation report.
// The CDK prints its validation report itself; outside the CLI it then throws "Validation failed".
let failure: Error | undefined;
try {
  tap.app.synth();
} catch (err) {
  failure = err instanceof Error ? err : new Error(String(err));
}
const { failed } = reportGate(tap, (line) => console.error(line));
if (failed || failure) process.exitCode = 1;
if (failure && !/Validation failed/i.test(failure.message)) throw failure;
