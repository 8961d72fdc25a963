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
  // Import boundaries: lib/ (what `cdk synth` runs), bin/, aspects/ and lambda/ never import the tools, the CLIs or
  // the tests; tools/ (libraries) never import a CLI or a test. docs/layout.md describes the layout.
  {
    files: ['lib/**/*.ts', 'bin/**/*.ts', 'aspects/**/*.ts', 'lambda/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tools', '**/tools/**', '**/scripts', '**/scripts/**', '**/test/**'],
              message:
                'lib/, bin/, aspects/ and lambda/ are what synth runs: they must not import tools, CLIs or tests.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scripts', '**/scripts/**', '**/test/**'],
              message:
                'tools/ are libraries: a CLI (scripts/) calls them, never the other way round; no test imports.',
            },
          ],
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
