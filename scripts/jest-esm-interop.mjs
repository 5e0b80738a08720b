/**
 * Jest cannot require() an ES module, and @apidevtools/swagger-parser (CommonJS) requires the
 * ESM-only @apidevtools/json-schema-ref-parser. Node and ncc handle that; jest does not. Before the
 * tests, this bundles that one package, unchanged, as CommonJS; jest.config.js maps it there.
 */
import { build } from 'esbuild'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
export const INTEROP_DIR = path.join(root, 'node_modules', '.cache', 'perf-xi-jest')

const require = createRequire(path.join(root, 'node_modules', '@apidevtools', 'swagger-parser', 'lib', 'index.js'))
const entry = require.resolve('@apidevtools/json-schema-ref-parser')

await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: path.join(INTEROP_DIR, 'json-schema-ref-parser.cjs'),
  logLevel: 'warning',
})
