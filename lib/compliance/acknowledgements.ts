/**
 * The compliance register, one import for its callers: the data is lib/compliance/register/entries.ts, the entry
 * shape lib/compliance/register/types.ts and the engine lib/compliance/register/engine.ts. Kept so modules written
 * before the split keep importing from here; new code imports from ./register/*.
 */
export * from './register/types';
export * from './register/engine';
export { CFN_LINT_TAGS_MESSAGE, LIBRARY_ACKNOWLEDGEMENTS, REGISTER } from './register/entries';
