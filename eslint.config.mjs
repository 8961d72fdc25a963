// @ts-check
import eslint from '@eslint/js';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      'reports/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.d.ts',
      'test/**/*.snapshot/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // As aws-cdk's own lint: no hand-built ARNs with partition literals outside tests and config patterns.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^arn:aws/]',
          message: 'Do not hand-build ARNs; use Stack.of(this).formatArn or the resource attribute.',
        },
      ],
    },
  },
  {
    // Embedded profiles carry example ARNs as configuration values, not as code.
    files: ['lib/config/profiles.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-disabled-tests': 'error',
      'jest/no-focused-tests': 'error',
      'jest/expect-expect': [
        'error',
        {
          assertFunctionNames: [
            'expect',
            'expect*',
            '*.has*',
            '*.resourceCountIs',
            '*.templateMatches',
            'assert*',
          ],
        },
      ],
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Synthesized templates are untyped JSON.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
