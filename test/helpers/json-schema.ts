import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './synth';

/**
 * The SARIF 2.1.0 JSON Schema, vendored from Microsoft's SARIF SDK (`sarif-2.1.0.json` in the npm package
 * `@microsoft/sarif-multitool-linux` 5.7.0, MIT): the OASIS SARIF 2.1.0 schema expressed in JSON Schema 2020-12.
 * No small npm package ships it; depending on the 100 MB multitool for one file is not worth it.
 */
export const SARIF_SCHEMA = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'schemas', 'sarif-2.1.0.json'), 'utf8'),
) as object;

/**
 * A validator for a JSON Schema 2020-12 document (ajv, with formats). Our own schemas compile in ajv's strict
 * mode; third-party ones (SARIF) in its lenient mode, which still validates every instance fully.
 */
export function compileSchema(schema: object, options: { strict?: boolean } = {}): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: options.strict ?? schema !== SARIF_SCHEMA });
  addFormats(ajv);
  return ajv.compile(schema);
}
