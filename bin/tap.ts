#!/usr/bin/env node
import { createApp } from '../lib/app';
import { RegisterError } from '../lib/compliance/acknowledgements';
import { describePlaceholder, placeholdersIn } from '../lib/config/placeholders';
import { ConfigError } from '../lib/config/resolve-config';

// Configuration is read and validated here, once; a bad value stops before any construct is built.
// A malformed compliance register stops the same way, before synthesis.
try {
  const { config } = createApp();
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
  if (err instanceof ConfigError || err instanceof RegisterError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
