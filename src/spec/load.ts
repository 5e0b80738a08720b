/**
 * Spec stage: an OpenAPI 2.0 / 3.0 / 3.1 description (local file or http(s) URL, YAML or JSON)
 * in, one `ApiSpec` out: every operation as an `Endpoint` with one concrete, deterministic
 * request. Read and parsed (read-source.ts), `$ref`s checked and bundled (refs.ts), operations
 * converted (read-operations.ts, read-body.ts), and documents up to `FULL_VALIDATION_MAX_CHARS`
 * validated in full (validate.ts). The steps and their rules: docs/spec-loading.md.
 */
import { UserError } from '../errors.js'
import { locate, position, type Obj, type Source } from './document.js'
import { tolerateMistakes } from './mistakes.js'
import type { ApiSpec } from './model.js'
import { collectUnrunnablePatterns, unrunnablePatternsWarning } from './pattern.js'
import { SpecProblems, type Segment } from './problems.js'
import { SpecReader } from './read-operations.js'
import { detectVersion, parseText, readSource, type LoadSpecOptions } from './read-source.js'
import { bundleExternalRefs, checkInternalRefs, checkUrlCredentials, collectRefs } from './refs.js'
import { FULL_VALIDATION_MAX_CHARS, validateFully, withoutOperations } from './validate.js'

/**
 * Reads, checks and converts an OpenAPI description. A document that cannot be read at all is a
 * one-line `UserError`; problems within it are collected, all at once, each with file:line:
 * unknown properties and slips with one meaning are `warnings`, a problem confined to operations
 * makes those operations `unusable` (the plan skips them), and only a description with operations
 * none of which is usable is refused, listing its problems.
 */
export async function loadSpec(source: string, opts: LoadSpecOptions = {}): Promise<ApiSpec> {
  const src = await readSource(source, opts)
  const parsed = parseText(src)
  const { family, specVersion } = detectVersion(parsed, src)
  let doc = parsed as Obj

  let refs = collectRefs(doc)
  if (refs.hasExternal) {
    doc = await bundleExternalRefs(doc, src)
    refs = collectRefs(doc)
  }
  checkInternalRefs(doc, refs.firstSeen, src)
  checkUrlCredentials(doc, src)

  const where = (at: Segment[]): string => position(locate(src, at))
  const problems = new SpecProblems(where)
  const tolerated = tolerateMistakes(doc, family, problems)
  const { value: spec, unrunnable } = collectUnrunnablePatterns(() => new SpecReader(doc, family, src, problems).read(specVersion))
  if (src.text.length <= FULL_VALIDATION_MAX_CHARS) {
    const invalid = await validateFully(
      withoutOperations(
        doc,
        spec.endpoints.filter((e) => e.unusable),
      ),
      family,
      src,
      { problems, tolerated, where },
    )
    for (const endpoint of spec.endpoints) {
      const reason = invalid.get(endpoint.key)
      if (reason && !endpoint.unusable) endpoint.unusable = reason
    }
  }
  const patternWarning = unrunnablePatternsWarning(unrunnable)
  spec.warnings = patternWarning ? [...problems.warnings(), patternWarning] : problems.warnings()
  const usable = spec.endpoints.filter((e) => !e.unusable)
  if (spec.endpoints.length > 0 && usable.length === 0) throw noUsableOperation(spec, src)
  return spec
}

/** The one error a description with problems still gives: none of its operations can be sent. Lists them. */
function noUsableOperation(spec: ApiSpec, src: Source): UserError {
  const reasons = [...new Set(spec.endpoints.map((e) => `${e.key}: ${e.unusable!.replace(`${src.name}:`, 'line ')}`))]
  const shown = reasons.slice(0, 5).join('; ')
  const more = reasons.length > 5 ? `; … and ${reasons.length - 5} more` : ''
  return new UserError(`none of the ${spec.endpoints.length} operations can be sent as described: ${shown}${more}`, { file: src.name })
}
