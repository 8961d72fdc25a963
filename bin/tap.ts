#!/usr/bin/env node
import { createApp } from '../lib/app';
import { ConfigError } from '../lib/config/resolve-config';

// Configuration is read and validated here, once; a bad value stops before any construct is built.
try {
  createApp();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
