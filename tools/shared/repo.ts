import * as path from 'path';

/** Root of the repository (scripts resolve every repository-relative path against it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
