/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  // The default reporter, printing a file's console output only when one of its tests fails; the summary stays.
  reporters: ['<rootDir>/test/quiet-reporter.js', 'summary'],
  // Type-checking is `npm run build` (tsc); with isolatedModules in tsconfig.json ts-jest only transpiles.
  transform: { '^.+\\.tsx?$': 'ts-jest' },
  // No global timeout: a test gets Jest's 5 s. Files whose tests synthesize the app, run the compliance gate or
  // start PostgreSQL raise it for themselves (`jest.setTimeout` in the test helpers they import, or per test), so
  // a slow test is slow where it is written, not hidden behind a suite-wide allowance.
};
