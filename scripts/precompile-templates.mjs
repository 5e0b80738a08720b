/** Build step (npm run build, after tsc): templates/ precompiled into dist/, see src/script/templates.ts. */
import { writePrecompiledTemplates } from '../lib/script/templates.js'

writePrecompiledTemplates('dist')
