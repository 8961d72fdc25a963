import type * as sarif from 'sarif';

/** The schema every SARIF log of the project names (SARIF 2.1.0, as code-scanning tools expect it). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log of one run: the envelope both writers share (`npm run lint:cfn`'s cfn-lint.sarif and
 * `npm run reports`' compliance.sarif), so the schema, the version and the key order are defined once.
 */
export function sarifLog(run: sarif.Run): sarif.Log {
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}
