// ESLint for the TypeScript sources, tests, benchmarks and scripts; formatting is Prettier's (.prettierrc.json).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'lib/',
      'src/spec/openapi-validators.generated.ts',
      'coverage/',
      'node_modules/',
      '__tests__/fixtures/',
      'examples/**/*.js',
      'templates/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.{ts,mts,mjs,cjs,js}'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Unused names are compile errors already (noUnusedLocals); `_`-prefixed ones are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // TypeScript resolves every name (and knows Node's globals); ESLint's copy would only disagree.
      'no-undef': 'off',
      // Sanitising text for Markdown, logs and k6 names means matching control characters on purpose.
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
)
