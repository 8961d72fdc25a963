/**
 * Jest setup (jest.config.js `setupFilesAfterEnv`), in every test file.
 *
 * Jest gives each test file its own module registry, so each file that runs the compliance gate starts its own
 * CloudFormation linter worker (lib/compliance/linter.ts), about 250 MB once warm. Stopping it after the file keeps
 * a Jest worker process from accumulating one per file.
 */
import { stopCloudFormationLinter } from '../lib/compliance/linter';

afterAll(() => stopCloudFormationLinter());
