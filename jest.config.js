/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // Type-checking is `npm run build` (tsc); with isolatedModules in tsconfig.json ts-jest only transpiles.
  transform: { '^.+\\.tsx?$': 'ts-jest' },
  // Synthesizing the full stack takes a few seconds per file on a 2-core machine.
  testTimeout: 120000,
};
