/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run build` (tsc); ts-jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true }] },
  // Synthesizing the full stack takes a few seconds per file on a 2-core machine.
  testTimeout: 120000,
};
