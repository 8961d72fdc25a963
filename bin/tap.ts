#!/usr/bin/env node
import { createApp } from '../lib/app';
import { RegisterError } from '../lib/compliance/acknowledgements';
import { ConfigError } from '../lib/config/resolve-config';
import { CalendarError } from '../lib/schedule/exchange-calendar';

// Configuration is read and validated here, once; a bad value stops before any construct is built.
// A malformed compliance register stops the same way, before synthesis.
try {
  createApp();
} catch (err) {
  if (err instanceof ConfigError || err instanceof RegisterError || err instanceof CalendarError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
