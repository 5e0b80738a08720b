import { createDefaultEsmPreset } from 'ts-jest'

/**
 * ESM throughout: ts-jest compiles TypeScript as ES modules and jest runs with
 * --experimental-vm-modules (see the README's development section).
 */
export default {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.test.json' }),
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Built by scripts/jest-esm-interop.mjs: jest cannot require() this ESM-only package.
    '^@apidevtools/json-schema-ref-parser$': '<rootDir>/node_modules/.cache/perf-xi-jest/json-schema-ref-parser.cjs',
  },
  testTimeout: 30_000,
}
