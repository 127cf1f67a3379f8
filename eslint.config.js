// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, without type information so a
// run stays quick. Formatting is prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test/.pki/',
      'test/.tmp/',
      'examples/out/',
      'examples/browser/kyso/',
      'bench/.work/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_` marks a parameter or binding kept for its position
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // binary formats and XML: control characters in patterns are meant
      'no-control-regex': 'off',
    },
  },
  {
    // unused imports in tests warn for now (a few files import describe they no longer use); errors in src/
    files: ['test/**', 'bench/**', 'examples/**'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
);
