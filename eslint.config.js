// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-next/',
      'dist-old/',
      'dist-test/',
      '.fixture/',
      '.astro/',
      'node_modules/',
      'coverage/',
      'test-results/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // TypeScript modules and the scripts (type-checked with checkJs, scripts/tsconfig.json) are
    // linted with type information: the project service reads the nearest tsconfig.json. The
    // benchmarks join once they are type-checked too; .astro files are checked by `astro check`.
    files: ['**/*.ts', 'scripts/**/*.mjs'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Vitest's asymmetric matchers (expect.stringContaining…) are typed any by design.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The project service does not read .astro files, so components imported here look untyped to ESLint;
    // `astro check` type-checks these calls.
    files: ['tests/components/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
);
